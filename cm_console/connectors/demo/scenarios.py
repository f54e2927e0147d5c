"""The demo intranet's cast and conversation material (Dutch and English).

Pure data: :mod:`cm_console.connectors.demo.content` turns it into threads with a fixed seed.
The organisation is a Dutch home-and-garden retailer with an office in Utrecht, a distribution
centre (DC) in Tilburg, shops, and a web shop; its tools (AFAS, TOPdesk, the Company Portal, the
workplace app) recur across the communities so the material reads like one intranet.
Roles in replies: ``expert`` (someone from the community's department), ``author`` (the root
author), ``team`` (the community team), ``peer`` (another colleague), ``bot`` (automation).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoPerson:
    remote_id: str
    handle: str
    name: str
    title: str
    department: str
    expertise: tuple[str, ...] = ()
    team: bool = False
    bot: bool = False


@dataclass(frozen=True, slots=True)
class Community:
    key: str
    name: str
    description: str
    broadcast_only: bool = False
    weight: int = 1
    """Relative number of new threads per working day (broadcast channels follow a schedule)."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """A conversation: the root, an answer that closes it, and a reply that leaves it open.

    In a broadcast community the roles shift to the audience: ``open_reply`` is a colleague's
    question on the announcement, ``answer`` the team's reply to it, and ``follow_up`` a
    colleague's comment.
    """

    community: str
    lang: str
    title: str
    root: str
    answer: str
    """An expert reply that answers (no question back): it closes the discussion."""
    open_reply: str
    """An expert reply that asks something back (leaves the discussion open)."""
    follow_up: str
    """The root author coming back (still a problem, or more detail)."""
    thanks: str = ""


OWN = DemoPerson(
    "u-anouk", "anouk", "Anouk de Vries", "Community manager", "Communicatie", team=True
)

PEOPLE: tuple[DemoPerson, ...] = (
    OWN,
    DemoPerson(
        "u-jeroen", "jeroen", "Jeroen Bakker", "Communicatieadviseur", "Communicatie", team=True
    ),
    DemoPerson("u-sven", "sven", "Sven Jansen", "Servicedesk IT", "IT", ("it",)),
    DemoPerson("u-priya", "priya", "Priya Raman", "Systems engineer", "IT", ("it", "webshop")),
    DemoPerson("u-mark", "mark", "Mark de Boer", "Netwerkbeheerder", "IT", ("it",)),
    DemoPerson("u-fatima", "fatima", "Fatima El Amrani", "HR-adviseur", "HR", ("hr",)),
    DemoPerson("u-lotte", "lotte", "Lotte Smit", "Salarisadministratie", "HR", ("hr",)),
    DemoPerson("u-daan", "daan", "Daan Visser", "Webshop engineer", "E-commerce", ("webshop",)),
    DemoPerson(
        "u-emma", "emma", "Emma Clarke", "Product owner webshop", "E-commerce", ("webshop", "ideas")
    ),
    DemoPerson(
        "u-ruben", "ruben", "Ruben Mulder", "Facilitair coördinator", "Facilitair", ("facilities",)
    ),
    DemoPerson("u-noor", "noor", "Noor Hendriks", "Innovatiemanager", "Strategie", ("ideas",)),
    DemoPerson("u-ellen", "ellen", "Ellen Vermeulen", "Directeur", "Directie"),
    DemoPerson("u-tom", "tom", "Tom Peters", "Accountmanager", "Verkoop"),
    DemoPerson("u-sanne", "sanne", "Sanne de Graaf", "Klantenservice", "Klantenservice"),
    DemoPerson("u-kees", "kees", "Kees van Dijk", "Magazijnmedewerker", "Logistiek"),
    DemoPerson("u-olivia", "olivia", "Olivia Brown", "Marketing specialist", "Marketing"),
    DemoPerson("u-bram", "bram", "Bram Koster", "Controller", "Financiën"),
    DemoPerson("u-yara", "yara", "Yara Bos", "Trainee", "Verkoop"),
    DemoPerson("u-lucas", "lucas", "Lucas Meijer", "Planner", "Logistiek"),
    DemoPerson("u-julia", "julia", "Julia Kok", "Recruiter", "HR", ("hr",)),
    DemoPerson("u-ahmed", "ahmed", "Ahmed Yilmaz", "Developer", "E-commerce", ("webshop", "it")),
    DemoPerson("u-sophie", "sophie", "Sophie Martin", "Data analyst", "Financiën", ("ideas",)),
    DemoPerson("u-wouter", "wouter", "Wouter de Jong", "Chauffeur", "Logistiek"),
    DemoPerson(
        "u-iris", "iris", "Iris van Leeuwen", "Office manager", "Facilitair", ("facilities",)
    ),
    DemoPerson(
        "u-gerrit", "gerrit", "Gerrit Hoekstra", "Huismeester", "Facilitair", ("facilities",)
    ),
    DemoPerson("u-mirjam", "mirjam", "Mirjam Dekker", "Verzuimcoördinator", "HR", ("hr",)),
    DemoPerson("u-nina", "nina", "Nina Kowalski", "QA engineer", "E-commerce", ("webshop",)),
    DemoPerson(
        "u-ricardo", "ricardo", "Ricardo Santos", "Customer service agent", "Klantenservice"
    ),
    DemoPerson("u-pieter", "pieter", "Pieter Willems", "Teamleider DC", "Logistiek"),
    DemoPerson("u-mila", "mila", "Mila Janssen", "Medewerker klantenservice", "Klantenservice"),
    DemoPerson("u-arjun", "arjun", "Arjun Patel", "Data engineer", "Financiën"),
    DemoPerson("u-statusbot", "statusbot", "Status Bot", "Automation", "IT", bot=True),
    DemoPerson("u-monitor", "monitor", "Shop Monitoring", "Automation", "E-commerce", bot=True),
)

NEWCOMERS: tuple[str, ...] = ("u-mila", "u-arjun")
"""Colleagues who joined recently: their first post ever is one of the recent threads."""

EMPLOYEES = tuple(
    p
    for p in PEOPLE
    if not p.team and not p.bot and p.remote_id != "u-ellen" and p.remote_id not in NEWCOMERS
)

LEAD_EXPERTS = {
    "it": "u-sven",
    "hr": "u-fatima",
    "webshop": "u-daan",
    "ideas": "u-noor",
    "facilities": "u-ruben",
}
"""The expert who answers most in each community (load balancing has something to correct)."""

BOTS = {"it": "u-statusbot", "webshop": "u-monitor"}
"""Which automation posts notices in which community."""

AUTHOR_AFFINITY: dict[str, dict[str, float]] = {
    "webshop": {"Klantenservice": 5, "Logistiek": 3, "Marketing": 3, "Verkoop": 2, "*": 0.3},
}
"""Who starts threads where: department weights per community (``*``: everyone else; 1)."""

COMMUNITIES: tuple[Community, ...] = (
    Community("it", "IT-helpdesk", "Vragen over laptops, software, wifi en accounts.", weight=4),
    Community("hr", "HR & Verlof", "Verlof, salaris, opleidingen en regelingen.", weight=3),
    Community(
        "webshop", "Webshop errors", "Error reports from the web shop and checkout.", weight=3
    ),
    Community(
        "ideas", "Ideeënbus", "Ideeën om ons werk en de organisatie beter te maken.", weight=2
    ),
    Community("facilities", "Gebouw & Facilitair", "Werkplekken, parkeren, catering.", weight=2),
    Community(
        "news",
        "Management news",
        "Announcements from the management team.",
        broadcast_only=True,
        weight=1,
    ),
)

_IT: tuple[Scenario, ...] = (
    Scenario(
        "it",
        "nl",
        "VPN valt steeds weg sinds de update",
        "Sinds de update van vanochtend valt mijn VPN-verbinding om de paar minuten weg. "
        "Hebben meer mensen dit? Ik werk vandaag thuis en kan zo niet bij de G-schijf.",
        "Dit is een bekend probleem met versie 5.2 van de GlobalProtect-client. Herstart de "
        "client via het systeemvak als tijdelijke oplossing; het Bedrijfsportal zet vanmiddag "
        "automatisch 5.2.1 klaar en daarmee is het opgelost.",
        "Vervelend! Zit je op wifi of op een kabel? En welke versie staat er bij 'Over' in de "
        "client?",
        "Wifi, versie 5.2.0. Herstarten helpt maar even, na een kwartier is hij weer weg.",
        "Top, 5.2.1 staat erop en hij blijft nu stabiel. Dank je!",
    ),
    Scenario(
        "it",
        "en",
        "Can't open shared Excel files in Teams",
        'When I open the planning workbook from our Teams channel it says "locked for editing '
        'by another user", even when nobody has it open. How do I fix this?',
        "That lock usually comes from a stale session. Open the file in the browser, choose "
        "'Check out' and then 'Discard check out'; the lock is gone after that.",
        "Is the file in a channel that was moved or renamed recently? Could you send me the link?",
        "It's in the 'Planning DC' channel, nothing was moved as far as I know. And it's locked "
        "again this morning.",
        "That did it, thanks a lot.",
    ),
    Scenario(
        "it",
        "nl",
        "Nieuwe laptop aanvragen",
        "Mijn laptop is bijna vijf jaar oud en erg traag geworden, Teams en Excel tegelijk "
        "trekt hij niet meer. Hoe vraag ik een nieuwe aan en hoe lang duurt dat ongeveer?",
        "Je kunt een vervanging aanvragen in TOPdesk onder 'Hardware > Laptop vervangen'. "
        "Laptops ouder dan vier jaar worden standaard goedgekeurd; levering duurt ongeveer "
        "twee weken en je gegevens staan al in OneDrive, dus overzetten is zo gebeurd.",
        "Welk model heb je nu? Als het een T480 is, valt die in de vervangingsronde van "
        "volgende maand. Wil je daarop wachten?",
        "Het is idd een T480. Ik heb hem toch al aangevraagd, maar hij staat nog steeds op "
        "'in behandeling'.",
        "Duidelijk, aanvraag is de deur uit.",
    ),
    Scenario(
        "it",
        "en",
        "Printer on 3rd floor prints blank pages",
        "The big printer next to the kitchen on the 3rd floor (PRN-U3-01) has been printing "
        "blank pages since yesterday. The display says the toner is full.",
        "Found it: the new toner drum was installed without removing the seal. Fixed this "
        "morning, it prints normally again.",
        "Does it happen with every document, or only with PDFs from the finance system?",
        "Only PDFs, Word documents print fine. Still blank today.",
        "Works again, thanks!",
    ),
    Scenario(
        "it",
        "nl",
        "Wachtwoord verlopen en geen toegang tot mail",
        "Mijn wachtwoord is verlopen terwijl ik op vakantie was en nu kom ik nergens meer in. "
        "Wie kan mij helpen?",
        "Je kunt je wachtwoord zelf resetten via https://wachtwoord.example.nl/reset?bron=intranet "
        "met je mobiele nummer. Lukt dat niet, bel dan de servicedesk op 1234, dan zetten we "
        "een tijdelijk wachtwoord voor je klaar.",
        "Heb je je mobiele nummer al gekoppeld voor de selfservice-reset?",
        "Nee, er is geen nummer gekoppeld. En bij 1234 krijg ik een bandje.",
    ),
    Scenario(
        "it",
        "en",
        "Wi-Fi in meeting room 'Amstel' very slow",
        "Video calls from the Amstel room keep freezing. Speed test says 2 Mbit/s. Can "
        "someone check the access point?",
        "The access point in Amstel was on the guest network by mistake. Moved it back to the "
        "office VLAN; you should get 200+ Mbit/s now.",
        "Which network are you on, 'Office' or 'Guest'?",
        "On 'Office', and still slow today. The room next door (Vecht) is fine.",
    ),
    Scenario(
        "it",
        "nl",
        "Teams-camera zwart na Windows-update",
        "Na de Windows-update van gisteren ziet niemand mij meer in Teams. Het lampje van de "
        "camera gaat wel aan, maar het beeld blijft zwart. Laptop is een Latitude 5440.",
        "Dit komt door een privacy-instelling die de update heeft teruggezet. Ga naar "
        "Instellingen > Privacy > Camera en zet 'Apps toegang geven tot je camera' weer aan. "
        "Vanavond rollen we een fix uit via Intune, dan hoeft niemand het meer zelf te doen.",
        "Zie je jezelf wel in de Camera-app van Windows, of is het daar ook zwart?",
        "Ook zwart in de Camera-app. Heb m al twee keer opnieuw opgestart, maakt niks uit.",
        "Yes, dat was hem. Dank!",
    ),
    Scenario(
        "it",
        "en",
        "MFA prompts every 10 minutes on my phone",
        "Since this morning the Authenticator app asks me to approve a sign-in every ten "
        "minutes, even when I'm not doing anything. Is this a phishing attempt or something on "
        "our side?",
        "Not phishing: an old device still tries to sign in with your previous password. "
        "Remove your work account from that device and the prompts stop. If you ever get a "
        "prompt you didn't trigger, deny it and report it to security@example.nl.",
        "Did you change your password recently? And do you still have Outlook on an old phone "
        "or tablet?",
        "I changed it last week, and yes, there's an old iPad at home. I removed the account "
        "there but I still get prompts.",
        "Found a second one on my old laptop, removed it and it's quiet now. Thanks!",
    ),
    Scenario(
        "it",
        "nl",
        "Gedeelde mailbox klantenservice niet zichtbaar",
        "Ik moet sinds deze maand ook de mailbox klantenservice@ bijhouden, maar die gedeelde "
        "mailbox verschijnt niet in mijn Outlook. Mijn leidinggevende heeft de rechten al "
        "aangevraagd in TOPdesk (melding M2405-118).",
        "De rechten staan er inmiddels op. Outlook laadt een gedeelde mailbox pas na een "
        "herstart, soms duurt het tot een uur. In Outlook op het web kun je hem direct openen "
        "via 'Andere mailbox openen'.",
        "Gebruik je de nieuwe Outlook of de klassieke versie? In de nieuwe moet je hem zelf "
        "toevoegen onder 'Gedeelde mailboxen'.",
        'De nieuwe. Ik heb hem toegevoegd maar krijg "Je hebt geen toegang tot deze map".',
    ),
    Scenario(
        "it",
        "en",
        "Docking station: second monitor stays black",
        "At the flex desks on the 2nd floor my second monitor stays black when I dock. The "
        "first one works. Tried three different desks, same thing. Any tips?",
        "Those are the new USB-C docks: they need the DisplayLink driver, which is in the "
        "Company Portal as 'DisplayLink Manager'. Install it, reboot, and both screens work.",
        "Which laptop do you have, and is it the grey Dell dock or the black HP one?",
        "Latitude 7440 with the black HP dock. Installed the driver from the portal, still "
        "only one screen.",
        "Installed, rebooted, two screens. Thanks!",
    ),
    Scenario(
        "it",
        "nl",
        "Toegang tot Power BI-rapporten van Financiën",
        "Voor de maandrapportage heb ik leestoegang nodig tot de Power BI-werkruimte "
        "'Financiën - Maandcijfers'. Wie moet dat goedkeuren?",
        "Toegang vraag je aan in TOPdesk onder 'Toegang applicaties > Power BI'. De eigenaar "
        "van de werkruimte keurt het goed, meestal heb je binnen een werkdag toegang.",
        "Heb je alleen leesrechten nodig, of wil je ook zelf rapporten publiceren? Daar is een "
        "andere licentie voor nodig.",
        "Alleen lezen. Ik heb de aanvraag gisteren gedaan maar hij staat nog open.",
    ),
    Scenario(
        "it",
        "en",
        "Clicked a link in a phishing mail",
        'I got an email saying "Your parcel could not be delivered, confirm your address?" '
        "and I clicked the link before I realised. I didn't enter anything. What should I do "
        "now?",
        "Good that you reported it straight away. Since you didn't enter anything the risk is "
        "small, but we've reset your sessions and blocked the domain. Please forward the mail "
        "as an attachment to phishing@example.nl so we can remove it from other mailboxes.",
        "Did a page open that asked you to sign in with your work account? And was it on your "
        "work laptop or a private device?",
        "Work laptop. A page opened that looked like the Microsoft login, but I closed it "
        "straight away.",
        "Forwarded it. Thanks for the quick help!",
    ),
    Scenario(
        "it",
        "nl",
        "Notepad++ installeren lukt niet",
        "Ik wil Notepad++ installeren om CSV-exports uit SAP te bewerken, maar ik krijg "
        "'Beheerdersrechten vereist'. Kan dat via het Bedrijfsportal?",
        "Notepad++ staat in het Bedrijfsportal onder 'Hulpprogramma's'. Daar installeer je het "
        "zonder beheerdersrechten, het duurt een paar minuten.",
        "Zie je het Bedrijfsportal in je startmenu? Bij oudere laptops ontbreekt dat soms.",
        "Nee, ik heb geen Bedrijfsportal in mijn startmenu, alleen het oude Softwarecentrum.",
    ),
    Scenario(
        "it",
        "en",
        "Outlook search only finds the last 3 months",
        "Searching in Outlook only returns mails from the last three months. I need an old "
        "thread with a supplier from last year. Where did the rest go?",
        "Nothing is gone: classic Outlook only keeps three months offline. Click 'More results "
        "from the server' at the bottom of the results, or use Outlook on the web, which always "
        "searches everything.",
        "Are you in classic Outlook or the new one? And is the mail in your own mailbox or in a "
        "shared one?",
        "Classic Outlook, my own mailbox. The 'more results' link doesn't show up for me.",
    ),
    Scenario(
        "it",
        "nl",
        "Scannen naar e-mail werkt niet meer",
        "Als ik scan naar e-mail op de Ricoh bij de receptie komt er niks binnen. Gisteren "
        "werkte het nog. Op het scherm staat gewoon 'Verzonden'.",
        "Het wachtwoord van het scanaccount was verlopen, dat is vervangen. Scans komen weer "
        "binnen; die van vanochtend zijn helaas niet verstuurd, dus die moet je opnieuw scannen.",
        "Komt er ook niks in je map Ongewenste e-mail? En scan je naar je eigen adres?",
        "Ook niet in ongewenst, en ik scan naar mijn eigen adres. Collega's hebben hetzelfde.",
    ),
    Scenario(
        "it",
        "en",
        "Laptop battery swelling",
        "The trackpad on my laptop is lifting and the bottom feels bulged. I think the battery "
        "is swelling. Is it safe to keep using it today?",
        "Please stop using it and don't charge it: a swollen battery can catch fire. Bring it "
        "to the IT desk on the ground floor today, you get a loan laptop right away and we "
        "replace the battery under warranty.",
        "Does it get warm while charging? And are you at the office or working from home today?",
        "Working from home. It's not warm, but the case is clearly bent now.",
        "Dropped it off, loan laptop works fine. Thanks!",
    ),
    Scenario(
        "it",
        "nl",
        "Zoeken op intranet geeft lege pagina",
        "Sinds de update van het intranet geeft zoeken een lege pagina, bijvoorbeeld "
        "https://intranet.example.nl/zoeken?q=verlofregeling&scope=alles. In Edge en Chrome "
        "hetzelfde.",
        "Na de update wees de zoekindex nog naar de oude server. De index is opnieuw opgebouwd "
        "en zoeken werkt weer; pagina's van vandaag kunnen nog een paar uur ontbreken.",
        "Krijg je ook een lege pagina als je via het vergrootglas rechtsboven zoekt, of alleen "
        "met opgeslagen links zoals deze?",
        "Ook via het vergrootglas, helemaal leeg. Mijn hele team heeft het.",
    ),
)

_HR: tuple[Scenario, ...] = (
    Scenario(
        "hr",
        "nl",
        "Hoeveel verlofuren mag ik meenemen naar volgend jaar?",
        "Ik heb nog 60 verlofuren over. Hoeveel daarvan mag ik meenemen naar volgend jaar en "
        "vervallen die dan ook weer?",
        "Wettelijke uren vervallen zes maanden na het jaar waarin je ze opbouwt; "
        "bovenwettelijke uren blijven vijf jaar geldig. Je saldo per soort zie je in AFAS "
        "onder 'Verlof > Saldo'.",
        "Werk je fulltime of parttime? Dat maakt uit voor je wettelijke minimum.",
        "Ik werk 32 uur. In AFAS zie ik alleen een totaal, niet per soort.",
        "Helder, dank je!",
    ),
    Scenario(
        "hr",
        "en",
        "Bike plan: can I still sign up this year?",
        "I heard there is a bike plan through the company. Is it still possible to sign up "
        "this year, and where do I find the form?",
        "Yes, you can sign up until the end of this quarter. The form is in AFAS under "
        "'Regelingen > Fietsplan'; the tax saving shows on your next payslip.",
        "Is it for an e-bike or a regular bike? The maximum budget differs.",
        "An e-bike. I can't find 'Fietsplan' under Regelingen though, only 'Thuiswerkvergoeding'.",
        "Found it, form is in. Thanks!",
    ),
    Scenario(
        "hr",
        "nl",
        "Salarisstrook van deze maand niet ontvangen",
        "Ik heb mijn salarisstrook van deze maand nog niet, terwijl mijn collega's hem al wel "
        "hebben. Klopt dat?",
        "De stroken van Logistiek en Verkoop zijn een dag later verstuurd door een fout in de "
        "koppeling. Hij staat nu in AFAS onder 'Mijn documenten'.",
        "Kijk je in AFAS Pocket of in InSite op je laptop? Zie je de strook van vorige maand wel?",
        "Die van vorige maand zie ik wel, van deze maand nog steeds niet. In de app en op de "
        "laptop.",
    ),
    Scenario(
        "hr",
        "en",
        "Training budget for a Dutch course",
        "I'd like to take a Dutch language course at B1 level. Does that count towards the "
        "personal training budget?",
        "Language courses count, up to €1,500 a year. Ask your manager to approve it in the "
        "learning platform and attach the quote from the language school.",
        "Is the course during working hours or in the evening? That decides who pays for the "
        "hours.",
        "Evenings. My manager approved it but the platform says 'budget exceeded'.",
        "Approved and booked. Dank je wel!",
    ),
    Scenario(
        "hr",
        "nl",
        "Ouderschapsverlof en vakantie-uren",
        "Bouw ik vakantie-uren op tijdens betaald ouderschapsverlof? Ik kan het nergens vinden "
        "in de regeling.",
        "Ja, tijdens ouderschapsverlof bouw je gewoon verlofuren op over de uren die je normaal "
        "werkt. Het staat in artikel 6.4 van de cao.",
        "Gaat het om het betaalde deel (9 weken) of het onbetaalde deel?",
        "Het betaalde deel. En telt dat ook mee voor de eindejaarsuitkering?",
    ),
    Scenario(
        "hr",
        "en",
        "Ill during my holiday",
        "I got ill on the second day of my holiday in Spain and stayed in bed for four days. "
        "Do I get those days back, and who do I need to call?",
        "Yes: days you're ill during your holiday count as sick days, not as leave. Report it "
        "to your manager and the absence line (088 123 4567) on the first day, and keep a "
        "doctor's note when you're abroad. HR then restores the hours in AFAS.",
        "Did you report it to your manager while you were still there? And did you see a doctor?",
        "I messaged my manager on WhatsApp but didn't call the absence line. No doctor, I just "
        "stayed in bed.",
    ),
    Scenario(
        "hr",
        "nl",
        "Thuiswerkvergoeding klopt niet",
        "Op mijn strook staat een thuiswerkvergoeding voor 4 dagen per week, maar ik werk juist "
        "3 dagen thuis en 2 op kantoor. Moet ik dat zelf doorgeven?",
        "Ja, je thuiswerkdagen geef je zelf door in AFAS onder 'Mijn gegevens > Werkpatroon'. "
        "Na je wijziging wordt het vanaf de volgende maand verrekend, ook met terugwerkende "
        "kracht.",
        "Heb je je werkpatroon in AFAS onlangs aangepast, of staat daar nog je oude rooster?",
        "Daar staat nog mijn rooster van vóór mijn ouderschapsverlof. Ik kan het veld niet "
        "aanpassen, het is grijs.",
    ),
    Scenario(
        "hr",
        "en",
        "Referral bonus for bringing in a colleague",
        "A friend of mine just signed a contract with the DC team after I sent her the "
        "vacancy. Is there still a referral bonus, and how do I claim it?",
        "There is: €500 gross after her probation period, paid with your salary. Fill in the "
        "referral form on the recruitment page with her start date; recruitment confirms it "
        "with her manager.",
        "Did she apply through your referral link, or directly on the careers site?",
        "Directly on the careers site, I didn't know about the link. Does that still count?",
    ),
    Scenario(
        "hr",
        "nl",
        "Verlof aanvragen blijft hangen in AFAS Pocket",
        'Als ik in AFAS Pocket verlof aanvraag krijg ik de vraag "Weet je zeker dat je wilt '
        'versturen?" en daarna blijft hij eindeloos laden. Al sinds maandag.',
        "Dit is een bekende storing in de app na de laatste update. Via InSite op je laptop "
        "(Verlof > Aanvragen) werkt het wel; AFAS verwacht eind van de week een nieuwe versie "
        "van de app.",
        "Gebruik je een iPhone of Android? En heb je al eens uit- en weer ingelogd?",
        "iPhone. Uitloggen en opnieuw inloggen helpt niet, hij blijft hangen.",
    ),
    Scenario(
        "hr",
        "en",
        "Buying extra leave hours",
        "I read something about buying extra leave hours through the 'keuzebudget'. How many "
        "hours can I buy, and when is the deadline?",
        "You can buy up to 40 extra hours a year from your individual choice budget, pro rata "
        "for part-timers. Requests go through AFAS under 'Keuzebudget', and the window for this "
        "year closes at the end of next month.",
        "Do you work full-time? Part-timers can buy the same percentage of their hours, so it's "
        "a bit less.",
        "24 hours a week. In AFAS the 'buy' option is greyed out for me.",
    ),
    Scenario(
        "hr",
        "nl",
        "Contact met de vertrouwenspersoon",
        "Waar vind ik de gegevens van de vertrouwenspersoon? Ik wil graag iets bespreken, maar "
        "liever niet eerst via mijn leidinggevende.",
        "Je kunt de externe vertrouwenspersoon direct bellen of mailen, zonder dat je "
        "leidinggevende of HR het weet. De gegevens staan op de HR-pagina onder 'Veilig werken' "
        "en het gesprek is altijd vertrouwelijk.",
        "Wil je iemand binnen de organisatie spreken of liever de externe vertrouwenspersoon? "
        "We hebben er allebei.",
        "Extern graag. Op de HR-pagina vind ik alleen een oud nummer dat niet meer werkt.",
    ),
    Scenario(
        "hr",
        "en",
        "Onboarding checklist for a new team member",
        "A new colleague starts in my team on Monday. Is there a checklist for the first week "
        "(laptop, badge, accounts)? Last time someone sat there for three days without a "
        "laptop.",
        "There is: the onboarding checklist is on the HR pages under 'Nieuwe collega'. Laptop "
        "and accounts are arranged automatically once the contract is signed in AFAS, and the "
        "badge is ready at reception on her first morning.",
        "Has her contract been signed in AFAS already? Everything else is triggered by that.",
        "Yes, signed two weeks ago, but IT says they haven't received anything.",
        "Checklist found and shared with the team. Thanks!",
    ),
    Scenario(
        "hr",
        "nl",
        "Jubileum bij 12,5 jaar",
        "Volgende maand ben ik 12,5 jaar in dienst. Bij 25 jaar krijg je een gratificatie, maar "
        "krijg je bij 12,5 jaar ook iets? Mijn leidinggevende weet het niet.",
        "Bij 12,5 jaar krijg je een kwart maandsalaris bruto en een extra vrije dag, zo staat "
        "het in hoofdstuk 9 van het personeelshandboek. Het wordt automatisch met je salaris "
        "van die maand uitbetaald.",
        "Ben je direct in vaste dienst begonnen, of eerst via een uitzendbureau? Die tijd telt "
        "niet altijd mee.",
        "Eerst een half jaar via een uitzendbureau. Volgens AFAS is het pas over 7 maanden.",
        "Fijn om te weten, dank je!",
    ),
    Scenario(
        "hr",
        "en",
        "Where do I see my pension?",
        "Where can I see how much pension I've built up with the company fund? The letter from "
        "last year got lost in the move.",
        "Log in at mijnpensioenoverzicht.nl with DigiD: it shows all your pension funds, "
        "including ours. The fund's own portal has the details per year; the link is on the HR "
        "pages under 'Pensioen'.",
        "Do you have a DigiD? That's the easiest way in.",
        "I do, but our fund doesn't show up there, only my previous employer's.",
    ),
)

_WEBSHOP: tuple[Scenario, ...] = (
    Scenario(
        "webshop",
        "en",
        "Checkout error 502 on payment step",
        "Customers report a 502 error on the payment step since 14:00. Order volume dropped by "
        "half. Seen with iDEAL and credit card.",
        "The payment provider rotated a certificate and our gateway kept the old pin. Fix "
        "rolled out at 15:10, error rate is back to normal.",
        "Do you have an order number or the time of one failing attempt? I want to find it in "
        "the gateway logs.",
        "Order 2024118230, around 14:20. Still seeing it for credit cards, iDEAL works again.",
    ),
    Scenario(
        "webshop",
        "en",
        "Product images missing in the app",
        "In the mobile app, product images in the 'garden' category show a grey box. The "
        "website is fine.",
        "The CDN cache for that category was purged with the wrong path. Re-warmed it; images "
        "are back in the app.",
        "Which app version are you on, and is it iOS or Android?",
        "Android, version 4.12. Cleared the cache, still grey.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Kortingscode wordt niet geaccepteerd",
        "Een klant belt dat de kortingscode TUINFEEST25 'ongeldig' geeft, terwijl de campagne "
        "vandaag is gestart. Klopt de startdatum wel?",
        "De code stond ingepland vanaf morgen 00:00. Ik heb de startdatum aangepast, hij werkt nu.",
        "Gaat het om een bestelling met producten uit de outlet? Daar geldt de code niet voor.",
        "Nee, gewoon een normale bestelling. Het gebeurt bij meer klanten, we hebben er al 12 "
        "aan de lijn gehad.",
    ),
    Scenario(
        "webshop",
        "en",
        "Stock shows available, order fails",
        "Item 88123 shows 'in stock' but orders fail with 'insufficient stock'. About 20 failed "
        "orders today.",
        "The warehouse sync job was stuck since last night. Restarted it; stock numbers are "
        "correct again and the failed orders can be retried from the admin.",
        "Is that for home delivery only, or also click & collect?",
        "Both, and now a second item (88127) does the same.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Track & trace-link in verzendmail werkt niet",
        "Klanten bellen dat de track & trace-link in de verzendmail naar een foutpagina gaat. "
        "Voorbeeld: https://www.example-shop.nl/track?order=2024118813&zip=3511AB geeft "
        '"Pagina niet gevonden".',
        "De nieuwe mailtemplate gebruikte nog het oude track-adres. Template is aangepast; alle "
        "mails vanaf 11:30 hebben de goede link en de oude links sturen we door.",
        "Gaat het om PostNL- of DHL-zendingen? In de logs zie ik alleen fouten bij één vervoerder.",
        "Vooral PostNL, maar ook een paar DHL. Er staan er nu 40 in Zendesk.",
    ),
    Scenario(
        "webshop",
        "en",
        "Search returns nothing for 'tuinslang'",
        'On the website, searching for "tuinslang" returns zero results, while we have 35 '
        'garden hoses in stock. Searching "slang" works. Started after last night\'s release.',
        "The synonym list in Algolia was overwritten by the release. Restored the previous "
        "version and 'tuinslang' finds all 35 products again. We're adding a check to the "
        "release pipeline.",
        "Does it happen in the app as well, or only on the website? And only for compound words "
        "like this one?",
        "App too. 'Regenton' and 'grasmaaier' also return nothing.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Bestellingen blijven op 'betaling in behandeling'",
        "Er staan sinds vannacht 63 bestellingen op 'betaling in behandeling', allemaal met "
        "Klarna. Klanten hebben wel een bevestiging van Klarna gekregen. Moeten wij die "
        "handmatig vrijgeven?",
        "Niet handmatig vrijgeven: de webhook van Klarna kwam niet binnen door een verlopen "
        "API-sleutel. Sleutel vervangen en de webhooks opnieuw afgespeeld, alle 63 bestellingen "
        "staan op 'betaald' en gaan vandaag nog naar het DC.",
        "Zie je bij die bestellingen een Klarna-referentie in de admin? Dan weet ik of de "
        "webhook is binnengekomen.",
        "Bij de meeste staat geen referentie. En er zijn er inmiddels 20 bij gekomen.",
    ),
    Scenario(
        "webshop",
        "en",
        "Price in the app differs from the website",
        "A customer noticed that the parasol 'Solano 300' is €149 in the app and €129 on the "
        "website. She wants the lower price. Which one is right?",
        "€129 is right: the app caches prices for up to six hours and the promotion started at "
        "09:00. Customer service can honour the lower price, and the app cache is cleared now.",
        "Do you have the article number? The Solano comes in two colours with different prices.",
        "Article 44120, the grey one. And the app still shows €149.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Retourlabel is een lege PDF",
        "Klanten krijgen bij 'Retourlabel downloaden' een lege PDF. Al vier klachten "
        "vanochtend, allemaal met een Belgisch adres.",
        "Het retourlabel voor België werd met een verkeerd postcodeformaat aangevraagd bij "
        "bpost. Dat is hersteld; de labels van vanochtend zijn opnieuw aangemaakt en naar de "
        "klanten gemaild.",
        "Zijn het bestellingen van vóór of na vrijdag? Toen is de retourmodule bijgewerkt.",
        "Alle vier na vrijdag. Er is er net nog een bijgekomen, ook uit België.",
    ),
    Scenario(
        "webshop",
        "en",
        "Newsletter sign-up does nothing",
        "The newsletter sign-up in the footer does nothing when you click 'Sign up'. The "
        "browser console shows `TypeError: form?.email is undefined`. Chrome and Safari.",
        "Caused by the cookie-consent update: the form script loaded before consent was given. "
        "Fixed in this afternoon's hotfix, sign-ups work again and nothing was lost.",
        "Do you see it with cookies accepted as well, or only when you decline them?",
        "Only when I decline cookies. With cookies accepted it works.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Afhaalpunt kiezen geeft foutmelding",
        "Bij 'Ophalen in de winkel' krijgen klanten de melding \"Geen afhaalpunten gevonden\" "
        "voor elke postcode. Bezorgen werkt wel. Hoe lang duurt dit nog? We krijgen veel "
        "telefoon.",
        "De winkellijst kwam leeg terug uit het kassasysteem na het onderhoud van vannacht. "
        "Handmatig opnieuw ingeladen, alle 42 winkels zijn weer te kiezen.",
        "Gebeurt het ook in de app, of alleen in de webshop? Dan weet ik welke koppeling ik "
        "moet hebben.",
        "Allebei. En nu zie ik alleen nog de winkels in Noord-Holland.",
    ),
    Scenario(
        "webshop",
        "en",
        "Order confirmation emails sent twice",
        "Several customers got their order confirmation twice, some even three times. No double "
        "charges as far as we can see, but they're worried. Example: order 2024119042.",
        "The mail queue retried after a timeout while the first mail had already gone out. "
        "Retries are idempotent now, so no more duplicates, and payments were never affected.",
        "Do the duplicates have the same send time, or a few minutes apart? That tells me "
        "whether it's our queue or the mail provider.",
        "About 5 minutes apart. And it's still happening for orders from this morning.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Bezorgkosten terwijl bezorging gratis is",
        "Een klant met een bestelling van €62 betaalt €4,95 bezorgkosten, terwijl bezorging "
        "gratis is vanaf €50. In het winkelmandje staat het goed, pas bij afrekenen gaat het "
        "mis.",
        "De drempel voor gratis bezorging werd berekend na de korting van de actie. Aangepast "
        "naar vóór de korting, zoals in de voorwaarden staat; klanten van vandaag krijgen de "
        "bezorgkosten automatisch terug.",
        "Had die klant een kortingscode gebruikt? Dan kan het bedrag na korting onder de €50 "
        "zakken.",
        "Ja, 15% met de nieuwsbriefcode. Maar in de voorwaarden staat dat de drempel vóór "
        "korting telt.",
    ),
    Scenario(
        "webshop",
        "en",
        "Product page 'Lounge set Bali' gives a 500",
        "https://www.example-shop.nl/p/lounge-set-bali?variant=antraciet returns a 500 error. "
        "The other colours load fine. It's in the newsletter that went out at 08:00, so traffic "
        "is high.",
        "The antraciet variant had an image with a broken file name after the import. Fixed the "
        "record and cleared the cache, the page loads again.",
        "Is it only that variant for you? And are you logged in as a customer or as staff?",
        "Only antraciet at first, but now the grey one gives a 500 too.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Saldo cadeaubon klopt niet",
        "Een klant heeft een cadeaubon van €50, heeft er €20 mee betaald en ziet nu een saldo "
        "van €0. Bonnummer eindigt op 4471. Kan iemand kijken waar die €30 is gebleven?",
        "Het restsaldo stond er gewoon nog op, alleen de saldocheck op de site liet een oude "
        "waarde zien. Gecorrigeerd: de klant ziet weer €30 en kan de bon gewoon gebruiken.",
        "Heeft de klant online of in een winkel betaald? De winkelkassa boekt soms pas 's "
        "nachts af.",
        "Online betaald. En er bellen nu nog twee klanten met hetzelfde probleem.",
    ),
)

_IDEAS: tuple[Scenario, ...] = (
    Scenario(
        "ideas",
        "nl",
        "Idee: vergadervrije vrijdagochtend",
        "Wat als we op vrijdagochtend geen vergaderingen meer plannen? Dan heeft iedereen een "
        "blok voor focuswerk. Wie doet mee met een proef?",
        "Leuk idee! Team Financiën doet dit al sinds een paar maanden en dat bevalt goed. We "
        "nemen het mee in het MT-overleg van volgende maand en koppelen de uitkomst hier terug.",
        "Sympathiek. Hoe zie je dat voor teams met klantcontact, zoals de klantenservice?",
        "Klantteams kunnen misschien een andere ochtend kiezen. Ik wil de proef best trekken.",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: repair café for company laptops",
        "Old laptops end up in a container. Could we run a repair café and donate refurbished "
        "ones to a school nearby?",
        "Great idea. IT can wipe and refurbish about 30 laptops a quarter, and we'll pick a "
        "school together with the sustainability team.",
        "Love it. Would you be willing to coordinate the first session?",
        "Happy to help. Who decides which school gets them?",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: maandelijkse lunch met een andere afdeling",
        "Ik ken eigenlijk alleen mijn eigen team. Zou het niet leuk zijn om elke maand met een "
        "willekeurige andere afdeling te lunchen?",
        "Mooi plan, de kantine kan dat faciliteren. We starten volgende maand met een loting "
        "via het intranet.",
        "Goed idee. Moet dat alleen op locatie, of ook online voor de thuiswerkers?",
        "Liefst allebei, maar wie gaat het organiseren?",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: a monthly thank-you round",
        "Lots of people help each other across teams but nobody sees it. What if we had a "
        "monthly thank-you round here, where you can give a shout-out to a colleague from "
        "another department?",
        "Love this. We'll start a 'Bedankt!' thread here on the first Monday of every month, "
        "and the most-liked shout-outs go into the staff newsletter.",
        "Nice! Should it be open for every kind of thanks, or only across departments?",
        "Everything, I'd say, keep it simple. Who can set it up?",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: elektrische deelauto's voor zakelijke ritten",
        "Voor een klantbezoek in Zwolle moest ik weer met mijn eigen auto, terwijl we op het "
        "terrein al laadpalen hebben. Kunnen we niet een paar elektrische deelauto's neerzetten "
        "voor zakelijke ritten?",
        "Goed idee, en het past in ons duurzaamheidsplan. We starten volgend kwartaal met een "
        "proef van twee deelauto's bij kantoor Utrecht, te reserveren via de werkplek-app.",
        "Hoe vaak zou jij zo'n auto nodig hebben? We peilen eerst of er genoeg gebruik is voor "
        "een proef.",
        "Een keer of drie per maand. En ik hoor van meer accountmanagers dat ze het willen.",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: publish IT's known issues",
        "Half the questions in the IT-helpdesk community are about problems IT already knows "
        "about. A public known-issues page would save everyone a lot of time.",
        "Agreed. The service desk will publish the known-issues list from TOPdesk on the "
        "intranet, refreshed every hour. It goes live next sprint.",
        "Good point. Would you want a page on the intranet, or a pinned post in the IT-helpdesk "
        "community?",
        "A pinned post would be easiest, people look there first anyway.",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: meer groen op de 3e verdieping",
        "De 3e verdieping is nogal kaal en grijs. Meer planten zou de sfeer en de akoestiek "
        "echt verbeteren. Ik wil wel een inventarisatie doen.",
        "Leuk! Facilitair heeft nog budget voor groen. Een plantenleverancier maakt een voorstel "
        "voor de 3e en 4e verdieping, inclusief onderhoud.",
        "Goed plan. Denk je aan planten per bureau of aan een groene wand bij de trap?",
        "Een groene wand bij de trap zou echt gaaf zijn. Hoe gaat het nu verder?",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: let customers track repairs online",
        'Customer service gets about 200 calls a week asking "where is my repair?". If '
        "customers could follow their repair online, like a parcel, we'd save a lot of calls.",
        "Strong case, thanks for the numbers. It's on the web shop roadmap for next quarter: we "
        "reuse the order-tracking page, and customer service helps us test it.",
        "Do you know how many of those calls are about repairs still at the supplier? That "
        "part is the hardest to track.",
        "About half, I think. I can pull the exact numbers from Zendesk.",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: vrijwilligerswerk als teamuitje",
        "In plaats van het jaarlijkse bowlen zouden we als team een dag vrijwilligerswerk "
        "kunnen doen, bijvoorbeeld bij de voedselbank. Wie heeft hier ervaring mee?",
        "Mooi idee! Iedereen mag één werkdag per jaar vrijwilligerswerk doen met behoud van "
        "salaris. We zetten een lijst met organisaties op het intranet waar teams zich kunnen "
        "aanmelden.",
        "Zou je het per team willen organiseren of met een vaste dag voor de hele organisatie?",
        "Per team lijkt me het makkelijkst. Mag dat dan gewoon onder werktijd?",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: a buddy for every new colleague",
        "In my first weeks here I didn't know who to ask about the small things (printer, "
        "coffee, parking). A buddy from another team for the first month would have helped a "
        "lot.",
        "Great suggestion. HR adds a buddy to the onboarding checklist from next month, and "
        "we're looking for volunteers: sign up on the HR pages.",
        "Would you like to be one of the first buddies? And should it be someone from your own "
        "team or from outside it?",
        "Happy to be a buddy. From outside your team, I'd say, so you meet more people.",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: declareren met een foto van je bonnetje",
        "Ik bewaar nog steeds papieren bonnetjes in een envelop voor mijn declaraties. Kunnen "
        "we niet gewoon een foto uploaden in een app, zoals bij veel andere bedrijven?",
        "Dat kan binnenkort: Financiën gaat over op declareren via de AFAS-app met een foto van "
        "het bonnetje. Papieren bonnen hoef je dan niet meer te bewaren.",
        "Wat declareer je vooral, reiskosten of ook lunches met klanten?",
        "Vooral parkeren en lunches met klanten. Graag snel, ik heb er weer tien liggen 😅",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: phone booths in the old archive room",
        "The open-plan area on the 2nd floor is loud when everyone is on calls. Could we turn "
        "the old archive room into a few phone booths?",
        "Good timing: the archive room is being cleared next month anyway. We're placing four "
        "phone booths there, bookable in the workplace app.",
        "How many people on your floor are on calls most of the day? That helps us choose "
        "between booths and one bigger quiet room.",
        "In our team alone about eight people are on calls most of the day.",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: laat zien wat er met ideeën gebeurt",
        "Er komen hier mooie ideeën langs, maar ik weet nooit wat ermee gebeurt. Kunnen we per "
        "idee een status bijhouden, zoals bekeken, in behandeling, gedaan of niet gedaan?",
        "Terecht punt. Vanaf nu krijgt elk idee een label met de status, en elk kwartaal zetten "
        "we hier een overzicht neer van wat er met de ideeën is gebeurd.",
        "Zou een label per idee genoeg zijn, of wil je ook een overzicht per kwartaal?",
        "Allebei zou mooi zijn. Maar wie houdt het bij?",
    ),
)

_FACILITIES: tuple[Scenario, ...] = (
    Scenario(
        "facilities",
        "nl",
        "Parkeerplaatsen bij het nieuwe kantoor",
        "Komen er genoeg parkeerplaatsen bij het nieuwe kantoor? Ik woon buiten de stad en het "
        "OV is geen optie.",
        "Er komen 140 plekken, waarvan 30 met laadpaal. Je reserveert een plek via de "
        "werkplek-app, vanaf een week van tevoren.",
        "Op welke dagen ben je meestal op kantoor? Dan kijken we of een vaste plek mogelijk is.",
        "Maandag en donderdag. Kan ik dan een vaste plek krijgen?",
    ),
    Scenario(
        "facilities",
        "en",
        "Air conditioning 2nd floor too cold",
        "It's 18 degrees on the 2nd floor east wing. Several colleagues are working with their "
        "coats on. Can someone adjust it?",
        "The climate system ran the wrong schedule after Tuesday's maintenance. Corrected; it "
        "should be 21 degrees within the hour.",
        "Is it the whole east wing or only near the windows?",
        "The whole wing, and it's cold again this morning.",
    ),
    Scenario(
        "facilities",
        "nl",
        "Vegetarische opties in de kantine",
        "Kan er elke dag een warme vegetarische optie in de kantine komen? Nu is het vaak "
        "alleen een salade.",
        "Vanaf volgende week staat er elke dag een warm vegetarisch gerecht op het menu. Het "
        "weekmenu vind je op het intranet.",
        "Zou je liever vegetarisch of volledig plantaardig willen?",
        "Vegetarisch is prima, als het maar warm is.",
        "Heerlijk, vandaag al gehad. Dank!",
    ),
    Scenario(
        "facilities",
        "en",
        "Badge doesn't open the bike storage",
        "My badge works on the main entrance but not on the bike storage at the back. I've had "
        "to wait for someone to let me in three mornings in a row.",
        "The bike storage needs a separate authorisation on your badge. I've added it, it works "
        "from tomorrow morning once the readers have synced tonight.",
        "Did you get a new badge recently? New badges don't get bike storage access by default.",
        "I got a replacement two weeks ago because the old one broke. Still doesn't work.",
        "Works this morning, thank you!",
    ),
    Scenario(
        "facilities",
        "nl",
        "Lekkage boven vergaderruimte IJssel",
        "Er druppelt water uit het plafond in vergaderruimte IJssel (2e verdieping), vlak boven "
        "de tafel. Ik heb er een prullenbak onder gezet. Ruimte kun je beter even niet boeken.",
        "Dank voor het melden! De loodgieter heeft een lekkende leiding van de koffieautomaat op "
        "de 3e verdieping gerepareerd. De plafondplaat wordt morgen vervangen; IJssel is tot "
        "die tijd geblokkeerd in de werkplek-app.",
        "Is het helder water of vies bruin? En druppelt het nog steeds?",
        "Helder water, en het druppelt nog steeds. Nu ook bij het raam.",
    ),
    Scenario(
        "facilities",
        "en",
        "Desk and badge for a visitor from Antwerp",
        "A colleague from our Antwerp office visits next Tuesday and Wednesday. She doesn't "
        "have an account in the workplace app. How do I book a desk and a visitor badge for "
        "her?",
        "You can book on her behalf: in the workplace app choose 'Book for a guest', fill in "
        "her name, and it creates the desk booking and the visitor badge in one go. The badge "
        "is ready at reception from 08:00.",
        "Does she need parking as well? Guest parking is booked separately at reception.",
        "Yes, she comes by car. And 'Book for a guest' isn't in my app.",
        "Booked, thanks a lot!",
    ),
    Scenario(
        "facilities",
        "nl",
        "Koffieautomaat 3e verdieping geeft alleen heet water",
        "De koffieautomaat bij de trap op de 3e verdieping geeft bij elke keuze alleen heet "
        "water. Op het display staat 'Bonen bijvullen', maar de bak zit vol.",
        "De sensor van de bonenbak was vervuild. De leverancier heeft hem schoongemaakt en de "
        "automaat doet het weer, cappuccino ook.",
        "Staat er een storingscode op het display, bijvoorbeeld E12 of E31?",
        "Er staat E31. En nu geeft hij helemaal niks meer.",
    ),
    Scenario(
        "facilities",
        "en",
        "Can I have a permanent locker?",
        "I'm at the office four days a week and carry my stuff around every day. Can I get a "
        "permanent locker instead of the day lockers?",
        "Permanent lockers are for people who are in three or more days a week, so you qualify. "
        "Ask at reception: they assign you a locker on your floor and link it to your badge.",
        "Which floor do you usually work on? The 4th floor has lockers free, the 2nd is full.",
        "Usually the 2nd floor, close to my team. Is there a waiting list?",
    ),
    Scenario(
        "facilities",
        "nl",
        "Fietsenstalling vol, fietsen op de stoep",
        "Sinds Marketing ook in ons gebouw zit, is de fietsenstalling om 9 uur al vol. Fietsen "
        "staan nu op de stoep en de buren klagen. Komen er meer plekken bij?",
        "Volgende maand komt er een extra rek met 40 plekken naast de ingang van de "
        "parkeergarage. Tot die tijd mag je je fiets in de garage op niveau -1 zetten.",
        "Staan er ook veel fietsen van mensen die niet meer komen? Dan doen we eerst een "
        "labelactie.",
        "Best veel met een lekke band, die staan er al maanden. Maar ook zonder die is het te vol.",
    ),
    Scenario(
        "facilities",
        "en",
        "Drilling next door during calls",
        "The drilling at the construction site next door starts at 7:30 and makes calls from "
        "the 1st floor impossible in the morning. Does anyone know how long this will last?",
        "The contractor says the heavy drilling ends at the end of next week. Until then the "
        "quiet rooms on the 4th floor are reserved for people from the 1st floor in the "
        "mornings.",
        "Is it the whole 1st floor, or mainly the rooms on the street side?",
        "Mainly the street side, but even at the back it's loud before 10. It's been two weeks "
        "now.",
    ),
    Scenario(
        "facilities",
        "nl",
        "Warme lunch op na 13:00",
        "Wie na 13:00 naar de kantine gaat, vist achter het net: de warme maaltijd is dan op. "
        "Kan er wat meer gemaakt worden, of kun je iets reserveren?",
        "Vanaf maandag kun je je warme lunch tot 11:00 reserveren in de werkplek-app, dan wordt "
        "hij tot 14:00 voor je apart gezet. De cateraar maakt ook 20 porties meer.",
        "Hoe laat ga jij meestal lunchen? We kijken of we de uitgifte kunnen spreiden.",
        "Meestal rond kwart over 1, na ons klantoverleg. Vandaag was het weer op.",
    ),
    Scenario(
        "facilities",
        "en",
        "Broken chair in meeting room 'Maas'",
        "One of the chairs in meeting room Maas collapses when you lean back. Someone nearly "
        "fell during our meeting. I've put it in the corner with a note on it.",
        "Thanks for taking it out of use. The chair is collected and replaced today, and we're "
        "checking the other chairs from the same batch.",
        "Is it the one with the broken armrest, or one of the new grey ones?",
        "One of the new grey ones. And another one is wobbly too.",
    ),
    Scenario(
        "facilities",
        "nl",
        "Privépakketjes op kantoor laten bezorgen",
        "Mag je privépakketjes op kantoor laten bezorgen? Ik ben zelf nooit thuis als PostNL komt.",
        "Kleine pakketjes mogen, de receptie bewaart ze tot 17:00. Grote dozen en gekoelde "
        "pakketten liever niet, daar hebben we geen ruimte voor.",
        "Gaat het om kleine pakketjes of ook om grote dozen? Voor grote pakketten hebben we "
        "geen opslag.",
        "Gewoon kleine pakketjes, kleding en zo. Moet ik dat ergens aanmelden?",
    ),
)

_NEWS: tuple[Scenario, ...] = (
    Scenario(
        "news",
        "nl",
        "Kwartaalupdate van de directie",
        "Beste collega's, het afgelopen kwartaal sloten we af met een omzetgroei van 6%, vooral "
        "dankzij de webshop en de nieuwe tuincollectie. Dank aan iedereen voor de inzet! In de "
        "townhall van donderdag lichten Ellen en het MT de cijfers toe.",
        "De winstdeling wordt pas na de jaarcijfers vastgesteld, in het voorjaar. We nemen je "
        "vraag mee in de townhall van donderdag.",
        "Mooi resultaat! Betekent dit ook iets voor de winstdelingsregeling dit jaar?",
        "Goed gedaan allemaal, vooral de collega's in het DC die de drukte hebben opgevangen!",
    ),
    Scenario(
        "news",
        "en",
        "New hybrid working policy",
        "From next month our hybrid working policy changes: two office days a week per team, "
        "chosen by the team itself. The details and an FAQ are on the HR pages.",
        "The whole team picks the same two days, so you actually see each other. Your manager "
        "agrees the days with the team before the end of the month.",
        "Does 'two days per team' mean the whole team on the same days, or two days per person?",
        "Finally some clarity. Our team already works like this and it's great.",
    ),
    Scenario(
        "news",
        "nl",
        "Verhuizing naar het nieuwe kantoor",
        "Over zes weken verhuizen we naar het nieuwe kantoor aan de Croeselaan, in het weekend. "
        "Ieder team krijgt een verhuiscoördinator, en de verhuisdozen staan de week ervoor op "
        "de afdeling.",
        "Nee, IT verhuist alle monitoren en dockingstations zelf. Jij pakt alleen je "
        "persoonlijke spullen en je locker in.",
        "Moeten we onze eigen monitoren en dockingstations ook inpakken?",
        "Spannend! Benieuwd naar de nieuwe kantine.",
    ),
    Scenario(
        "news",
        "en",
        "Welcome to our new CFO",
        "We're happy to announce that Marieke Jansen joins us as CFO on the 1st of next month. "
        "She comes from a logistics company and will lead Finance, Procurement and Legal. In "
        "her first weeks she'll visit every department.",
        "Yes, the DC in Tilburg is on her list for the second week. Your site manager will "
        "share the date.",
        "Welcome Marieke! Will she also visit the distribution centre in Tilburg?",
        "Welcome Marieke, looking forward to meeting you!",
    ),
    Scenario(
        "news",
        "nl",
        "Resultaten medewerkersonderzoek",
        "Dank aan de 78% van jullie die het medewerkersonderzoek hebben ingevuld! Het "
        "belangrijkste resultaat: jullie zijn trots op het werk, maar informatie komt niet "
        "altijd op tijd bij iedereen. Elk team bespreekt de eigen resultaten de komende weken.",
        "De totaalresultaten staan volgende week op het intranet. Resultaten per team blijven "
        "in het team, omdat kleine teams anders herleidbaar zijn.",
        "Komen de resultaten per afdeling ook op het intranet, of alleen in de teamoverleggen?",
        "Herkenbaar punt over de informatie. Goed dat het serieus wordt opgepakt.",
    ),
    Scenario(
        "news",
        "en",
        "Systems offline on Saturday night",
        "This Saturday from 22:00 until Sunday 06:00 the ERP, the web shop back office and AFAS "
        "are offline for the move to the new data centre. The web shop itself stays online; "
        "orders are processed on Sunday morning.",
        "The systems are planned to be back by 05:30. If anything runs late, the DC team leads "
        "get a text message from the service desk before 05:00.",
        "Does this affect the Sunday morning shift in the DC? We normally start picking at 06:00.",
        "Thanks for the early notice, that helps with the planning.",
    ),
    Scenario(
        "news",
        "nl",
        "Akkoord over de nieuwe cao",
        "Goed nieuws: er is een akkoord over de nieuwe cao. De lonen gaan in twee stappen "
        "omhoog met in totaal 7%, en iedereen krijgt er een verlofdag bij. De precieze teksten "
        "volgen via HR.",
        "Ja, de eerste stap van 4% gaat met terugwerkende kracht in vanaf de eerste van vorige "
        "maand en wordt met het volgende salaris uitbetaald.",
        "Gaat de eerste loonsverhoging met terugwerkende kracht in?",
        "Mooi nieuws, en dank aan de OR voor het harde werk!",
    ),
    Scenario(
        "news",
        "en",
        "Townhall on Thursday: send in your questions",
        "On Thursday at 16:00 we hold our townhall in the restaurant and online in Teams. The "
        "management team presents the plans for the coming year. Send in your questions in "
        "advance through the form on the intranet, anonymously if you prefer.",
        "Yes, the recording will be on the intranet on Friday, with Dutch and English subtitles.",
        "Will there be a recording for the colleagues in the DC who work the late shift?",
        "Looking forward to it. Great that questions can be anonymous.",
    ),
    Scenario(
        "news",
        "nl",
        "Ons duurzaamheidsplan",
        "Vandaag presenteren we ons duurzaamheidsplan: over drie jaar 40% minder CO2, alle "
        "bestelbussen elektrisch en geen plastic verpakkingen meer in de webshop. Het hele plan "
        "lees je op het intranet.",
        "Daar testen we nu papieren vulmateriaal en dozen op maat voor. Het DC doet mee met de "
        "proef; over drie maanden delen we de resultaten.",
        "Hoe gaan we dan breekbare producten verpakken, zoals de keramische potten?",
        "Heel goed plan. Ik denk graag mee in de werkgroep.",
    ),
    Scenario(
        "news",
        "en",
        "Record week for the web shop",
        "Last week was the busiest week in the history of our web shop: 38,000 orders, and 97% "
        "shipped within 24 hours. A huge thank-you to the DC, customer service and the "
        "e-commerce team. Cake is on its way to every location!",
        "Everyone working from home gets a voucher for a local bakery by email this week.",
        "Amazing! Is there cake for the colleagues working from home as well?",
        "Proud to be part of this team!",
    ),
)

SCENARIOS: tuple[Scenario, ...] = (*_IT, *_HR, *_WEBSHOP, *_IDEAS, *_FACILITIES, *_NEWS)

ROOT_BUMPS = {
    "nl": (
        "Kan iemand hier naar kijken?",
        "Iemand? Ik zit hier nog steeds mee.",
        "Nog iemand een idee? Het speelt nog steeds 🙈",
        "Kleine bump: dit is nog steeds een probleem voor ons team.",
    ),
    "en": (
        "Anyone?",
        "Still stuck on this, can somebody help?",
        "Bumping this: it's still happening for our whole team.",
        "Any update on this one?",
    ),
}
"""The root author bumping a thread nobody answered."""

AUTHOR_NUDGES = {
    "nl": (
        "Is hier al iets over bekend? We zitten er nog steeds mee.",
        "Nog nieuws? Het speelt nog steeds.",
    ),
    "en": (
        "Any news on this? It's still happening.",
        "Just checking in: is anyone looking at this?",
    ),
}
"""The root author coming back after the team said it would look into it."""

TEAM_ACKS = {
    "nl": (
        "Dank voor je bericht! Ik heb het doorgezet naar de juiste collega's.",
        "Dank voor het melden! @{expert}, kun jij hier even naar kijken?",
        "Dank je, we zoeken het uit. @{expert} kijkt ernaar.",
    ),
    "en": (
        "Thanks for posting this! I've passed it on to the right colleagues.",
        "Thanks for raising this! @{expert}, could you take a look?",
        "Thanks, we're on it: @{expert} will have a look.",
    ),
}
"""The community team acknowledging a thread and routing it (``{expert}``: a handle)."""

TEAM_CLOSINGS = {
    "nl": (
        "Top, dank je @{expert}!",
        "Fijn dat het is opgelost. Dank voor het meedenken allemaal!",
    ),
    "en": (
        "Thanks @{expert} for jumping in!",
        "Glad this is sorted, thanks all.",
    ),
}
"""The community team's last word on a thread that got its answer (never a question)."""

PEER_ACKS = {
    "nl": (
        "Herkenbaar, ik heb hetzelfde.",
        "Zelfde hier, sinds gisteren al.",
        "+1, bij ons op de afdeling ook.",
    ),
    "en": (
        "Same here, following this.",
        "+1, seeing this too.",
        "Also happening for me since yesterday.",
    ),
}
"""A colleague chiming in (a reply, but not an answer and not a question)."""

BOT_NOTES = {
    "it": {
        "nl": "🤖 Je bericht is geregistreerd in TOPdesk als melding M{number}. Je krijgt bericht "
        "zodra een collega het oppakt. Storingen volg je op https://status.example.nl.",
        "en": "🤖 Your post is registered in TOPdesk as call M{number}. You'll hear from us as "
        "soon as a colleague picks it up. Follow outages at https://status.example.nl.",
    },
    "webshop": {
        "nl": "[Monitoring] Gekoppeld aan incident #{number}; de dienstdoende engineer is "
        "gewaarschuwd.",
        "en": "[Monitoring] Linked to incident #{number}; the on-call engineer has been paged.",
    },
}
"""Automation posting into a thread (``{number}``: a call or incident number). Not an answer."""

CLOSE_NOTES = {
    "nl": "Onderwerp gesloten: het incident is opgelost.",
    "en": "Topic closed: the incident is resolved.",
}
"""The platform's line when an expert closes an incident thread (not a reply)."""


ATTACHMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # Scenario title -> (files on the root post, files on the expert's answer).
    "VPN valt steeds weg sinds de update": (("globalprotect-melding.png",), ()),
    "Printer on 3rd floor prints blank pages": (("blank-page-scan.pdf",), ()),
    "Teams-camera zwart na Windows-update": (("schermafbeelding camera zwart.png",), ()),
    "Docking station: second monitor stays black": (("dock-setup.jpg",), ()),
    "Clicked a link in a phishing mail": (("suspicious-mail.eml",), ()),
    "Zoeken op intranet geeft lege pagina": (("zoekresultaat-leeg.png",), ()),
    "Salarisstrook van deze maand niet ontvangen": ((), ("uitleg-salarisstrook-AFAS.pdf",)),
    "Ill during my holiday": ((), ("sick-leave-abroad-form.pdf",)),
    "Thuiswerkvergoeding klopt niet": (
        ("loonstrook-november-fragment.png",),
        ("regeling-thuiswerkvergoeding-2026.pdf",),
    ),
    "Checkout error 502 on payment step": (("checkout-502.har", "payment-step.png"), ()),
    "Product images missing in the app": (("app-screenshot-ios.png",), ()),
    "Kortingscode wordt niet geaccepteerd": (("kortingscode-fout.png",), ()),
    "Retourlabel is een lege PDF": (("retourlabel-leeg.pdf",), ()),
    "Afhaalpunt kiezen geeft foutmelding": (("afhaalpunt-foutmelding.png",), ()),
    "Bezorgkosten terwijl bezorging gratis is": (("winkelmandje €62.png",), ()),
    "Product page 'Lounge set Bali' gives a 500": (("error-500-bali.png",), ()),
    "Idee: vergadervrije vrijdagochtend": (("voorstel vergadervrije vrijdag.pdf",), ()),
    "Lekkage boven vergaderruimte IJssel": (("plafond-ĳssel.jpg",), ()),
    "Broken chair in meeting room 'Maas'": (("chair-maas.jpg",), ()),
    "Parkeerplaatsen bij het nieuwe kantoor": ((), ("plattegrond-parkeergarage.pdf",)),
    "Verhuizing naar het nieuwe kantoor": (("verhuisplanning-2026.pdf",), ()),
    "Akkoord over de nieuwe cao": (("cao-akkoord-samenvatting.pdf",), ()),
    "New hybrid working policy": (("hybrid-working-policy-v2.pdf",), ()),
}
"""File names the simulated platform shows as attachments (the files themselves do not exist)."""
