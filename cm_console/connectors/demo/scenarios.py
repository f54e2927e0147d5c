"""The demo intranet's cast and conversation material (Dutch and English).

Pure data: :mod:`cm_console.connectors.demo.content` turns it into threads with a fixed seed.
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


@dataclass(frozen=True, slots=True)
class Scenario:
    """A conversation: the root, an answer that closes it, and a reply that leaves it open."""

    community: str
    lang: str
    title: str
    root: str
    answer: str
    """An expert reply that answers (no question back)."""
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
    DemoPerson("u-statusbot", "statusbot", "Status Bot", "Automation", "IT", bot=True),
)

EMPLOYEES = tuple(p for p in PEOPLE if not p.team and not p.bot and p.remote_id != "u-ellen")

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

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "it",
        "nl",
        "VPN valt steeds weg sinds de update",
        "Sinds de update van vanochtend valt mijn VPN-verbinding om de paar minuten weg. "
        "Hebben meer mensen dit? Ik werk vandaag thuis en kan zo niet bij de gedeelde schijven.",
        "Dit is een bekend probleem met versie 5.2 van de client. Herstart de VPN-client via "
        "het systeemvak; het Softwarecentrum zet vanmiddag automatisch 5.2.1 klaar.",
        "Vervelend! Gebruik je de wifi thuis of een kabel? En welke versie staat er onder "
        "'Over' in de client?",
        "Herstarten helpt maar even, na een kwartier is hij weer weg.",
        "Top, dank je wel!",
    ),
    Scenario(
        "it",
        "en",
        "Can't open shared Excel files in Teams",
        "When I open the planning workbook from our Teams channel it says 'locked for editing "
        "by another user', even when nobody has it open. How do I fix this?",
        "That lock usually comes from a stale session. Open the file in the browser, choose "
        "'Check out' and then 'Discard check out'; the lock is gone after that.",
        "Is the file in a channel that was moved recently? Could you send me the link?",
        "Still locked this morning, so the workaround didn't last.",
        "That did it, thanks a lot.",
    ),
    Scenario(
        "it",
        "nl",
        "Nieuwe laptop aanvragen",
        "Mijn laptop is bijna vijf jaar oud en erg traag geworden. Hoe vraag ik een nieuwe "
        "aan en hoe lang duurt dat ongeveer?",
        "Je kunt een vervanging aanvragen via het selfserviceportaal onder 'Hardware'. Laptops "
        "ouder dan vier jaar worden standaard goedgekeurd; levering duurt ongeveer twee weken.",
        "Welk model heb je nu? Als het een T480 is, valt die in de vervangingsronde van "
        "volgende maand. Wil je daarop wachten?",
        "Ik heb hem aangevraagd maar sta nog steeds op 'in behandeling'.",
        "Duidelijk, aanvraag is de deur uit.",
    ),
    Scenario(
        "it",
        "en",
        "Printer on 3rd floor prints blank pages",
        "The big printer next to the kitchen on the 3rd floor only prints blank pages since "
        "yesterday. Is anyone looking at this?",
        "The toner drum was installed without removing the seal. Fixed it this morning; "
        "printing works again.",
        "Does it happen for every document, or only PDFs from the finance system?",
        "Only with PDFs, Word documents print fine.",
    ),
    Scenario(
        "it",
        "nl",
        "Wachtwoord verlopen en geen toegang tot mail",
        "Mijn wachtwoord is verlopen terwijl ik op vakantie was en nu kom ik nergens meer in. "
        "Wie kan mij helpen?",
        "Je kunt je wachtwoord zelf resetten via https://wachtwoord.example.nl met je "
        "telefoonnummer. Lukt dat niet, bel dan de servicedesk op 1234.",
        "Heb je je telefoonnummer al gekoppeld voor de selfservice-reset?",
        "Ik heb geen gekoppeld nummer, wat nu?",
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
        "On 'Office', and still slow today.",
    ),
    Scenario(
        "hr",
        "nl",
        "Hoeveel verlofuren mag ik meenemen naar volgend jaar?",
        "Ik heb nog 60 verlofuren over. Hoeveel daarvan mag ik meenemen naar volgend jaar en "
        "vervallen die dan ook weer?",
        "Wettelijke uren vervallen zes maanden na het jaar waarin je ze opbouwt; bovenwettelijke "
        "uren blijven vijf jaar geldig. Je saldo per soort staat in het HR-portaal.",
        "Werk je fulltime of parttime? Dat maakt uit voor je wettelijke minimum.",
        "Ik werk 32 uur, maar in het portaal zie ik alleen een totaal.",
        "Helder, dank je!",
    ),
    Scenario(
        "hr",
        "en",
        "Bike plan: can I still sign up this year?",
        "I heard there is a bike plan through the company. Is it still possible to sign up "
        "this year, and where do I find the form?",
        "Yes, the bike plan is open until 1 December. The form is in the HR portal under "
        "'Arrangements'; the saving shows on your next payslip.",
        "Is it for an e-bike or a regular bike? The budget differs.",
        "An e-bike. I can't find the form anywhere in the portal though.",
    ),
    Scenario(
        "hr",
        "nl",
        "Salarisstrook november niet ontvangen",
        "Ik heb mijn salarisstrook van november nog niet ontvangen, terwijl collega's die al "
        "wel hebben. Klopt dat?",
        "De stroken van de afdelingen Logistiek en Verkoop zijn een dag later verstuurd. Hij "
        "staat nu in je digitale brievenbus.",
        "Kijk je in de app of in het webportaal? Zie je de strook van oktober wel?",
        "Oktober zie ik wel, november nog steeds niet.",
    ),
    Scenario(
        "hr",
        "en",
        "Training budget for a Dutch course",
        "I'd like to take a Dutch language course at B1 level. Does that count towards the "
        "personal training budget?",
        "Language courses count, up to €1,500 a year. Ask your manager to approve it in the "
        "learning platform and attach the quote.",
        "Is the course during working hours or in the evening? That decides who pays for "
        "the hours.",
        "Evenings. My manager approved it but the platform says 'budget exceeded'.",
    ),
    Scenario(
        "hr",
        "nl",
        "Ouderschapsverlof en vakantiedagen",
        "Bouw ik vakantie-uren op tijdens betaald ouderschapsverlof? Ik kan het nergens "
        "vinden in de regeling.",
        "Ja, tijdens ouderschapsverlof bouw je gewoon verlofuren op over de uren die je "
        "normaal werkt. Het staat in artikel 6.4 van de cao.",
        "Gaat het om het betaalde deel (9 weken) of het onbetaalde deel?",
        "Het betaalde deel. En telt dat ook voor de eindejaarsuitkering?",
    ),
    Scenario(
        "webshop",
        "en",
        "Checkout error 502 on payment step",
        "Customers report a 502 error on the payment step since 14:00. Order volume dropped "
        "by half. Seen on iDEAL and credit card.",
        "Payment provider had a certificate rotation; our gateway kept the old pin. Rolled "
        "out the fix at 15:10, error rate back to normal.",
        "Do you have an order number or the time of one failing attempt? I want to find it "
        "in the gateway logs.",
        "Still seeing it for credit cards, iDEAL works again.",
    ),
    Scenario(
        "webshop",
        "en",
        "Product images missing in the app",
        "In the mobile app, product images in the 'garden' category show a grey box. The "
        "website is fine.",
        "The CDN cache for that category was purged with the wrong path. Re-warmed it; images "
        "are back.",
        "Which app version are you on? iOS or Android?",
        "Android, version 4.12. Cleared the cache, still grey.",
    ),
    Scenario(
        "webshop",
        "nl",
        "Kortingscode wordt niet geaccepteerd",
        "Een klant belt dat de kortingscode WINTER25 'ongeldig' geeft, terwijl de campagne "
        "vandaag is gestart. Klopt de startdatum wel?",
        "De code stond ingepland vanaf morgen 00:00. Ik heb de startdatum aangepast; hij werkt nu.",
        "Gaat het om een bestelling met producten uit de outlet? Daar geldt de code niet voor.",
        "Nee, gewoon een gewone bestelling. Het gebeurt bij meer klanten.",
    ),
    Scenario(
        "webshop",
        "en",
        "Stock shows available, order fails",
        "Item 88123 shows 'in stock' but orders fail with 'insufficient stock'. About 20 "
        "failed orders today.",
        "The warehouse sync job was stuck since last night. Restarted it; stock numbers are "
        "correct again and the failed orders can be retried.",
        "Is that for home delivery only, or also click & collect?",
        "Both, and now a second item (88127) does the same.",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: vaste belmomenten zonder vergaderingen",
        "Wat als we op vrijdagochtend geen vergaderingen plannen? Dan hebben we allemaal een "
        "blok voor focuswerk. Wie doet mee met een proef?",
        "Leuk idee! Team Financiën doet dit al sinds de zomer en dat bevalt goed. We nemen het "
        "mee in het MT-overleg van volgende maand.",
        "Sympathiek. Hoe zie je dat voor teams met klantcontact, zoals de klantenservice?",
        "Misschien kunnen klantteams een andere ochtend kiezen?",
    ),
    Scenario(
        "ideas",
        "en",
        "Idea: repair café for company laptops",
        "Old laptops end up in a container. Could we run a repair café and donate refurbished "
        "ones to a school nearby?",
        "Great idea. IT can wipe and refurbish about 30 laptops a quarter; we'll pick a school "
        "with the sustainability team.",
        "Love it. Would you be willing to coordinate the first session?",
        "Happy to help. Who decides which school gets them?",
    ),
    Scenario(
        "ideas",
        "nl",
        "Idee: maandelijkse lunch met een andere afdeling",
        "Ik ken eigenlijk alleen mijn eigen team. Zou het niet leuk zijn om elke maand met een "
        "willekeurige andere afdeling te lunchen?",
        "Mooi plan, de kantine kan dat faciliteren. We starten in januari met een loting.",
        "Goed idee. Zou dat op locatie of ook online moeten kunnen voor de thuiswerkers?",
        "Liefst allebei, maar wie organiseert het?",
    ),
    Scenario(
        "facilities",
        "nl",
        "Parkeerplaatsen bij het nieuwe kantoor",
        "Komen er genoeg parkeerplaatsen bij het nieuwe kantoor? Ik woon buiten de stad en het "
        "OV is geen optie.",
        "Er komen 140 plekken, waarvan 30 met laadpaal. Je kunt een plek reserveren via de "
        "werkplek-app.",
        "Wat zijn je werkdagen op kantoor? Dan kijken we of er een vaste plek mogelijk is.",
        "Maandag en donderdag. Kan ik dan een vaste plek krijgen?",
    ),
    Scenario(
        "facilities",
        "en",
        "Air conditioning 2nd floor too cold",
        "It's 18 degrees on the 2nd floor east wing. Several colleagues are working with "
        "their coats on. Can someone adjust it?",
        "The climate system had a wrong schedule after the clock change. Corrected; it should "
        "be 21 degrees within the hour.",
        "Is it the whole east wing or only near the windows?",
        "The whole wing, and it's cold again this morning.",
    ),
    Scenario(
        "facilities",
        "nl",
        "Vegetarische opties in de kantine",
        "Kan er elke dag een warme vegetarische optie in de kantine komen? Nu is het vaak "
        "alleen een salade.",
        "Vanaf volgende week is er elke dag een warm vegetarisch gerecht; het menu staat op "
        "intranet.",
        "Zou je liever vegetarisch of volledig plantaardig willen?",
        "Vegetarisch is prima, als het maar warm is.",
    ),
    Scenario(
        "news",
        "nl",
        "Kwartaalupdate van de directie",
        "Beste collega's, het derde kwartaal hebben we afgesloten met een omzetgroei van 6%. "
        "Dank aan iedereen voor de inzet. In december volgt de jaarplanning.",
        "",
        "",
        "",
    ),
    Scenario(
        "news",
        "en",
        "New hybrid working policy",
        "From 1 January our hybrid working policy changes: two office days a week per team, "
        "chosen by the team itself. Details are on the HR pages.",
        "",
        "",
        "",
    ),
    Scenario(
        "news",
        "nl",
        "Verhuizing naar het nieuwe kantoor",
        "De verhuizing naar het nieuwe kantoor staat gepland voor het weekend van 14 maart. "
        "Ieder team krijgt een verhuiscoördinator.",
        "",
        "",
        "",
    ),
)

ROOT_BUMPS = {
    "nl": ("Kan iemand hier naar kijken?", "Iemand? Ik zit hier nog steeds mee."),
    "en": ("Anyone?", "Still stuck on this, can somebody help?"),
}
TEAM_ACKS = {
    "nl": "Dank voor je melding! Ik heb het doorgezet naar de juiste collega's.",
    "en": "Thanks for flagging this! I've passed it on to the right colleagues.",
}
PEER_ACKS = {
    "nl": "Herkenbaar, ik heb hetzelfde.",
    "en": "Same here, following this.",
}
BOT_NOTES = {
    "nl": "Automatische melding: er is een storing bekend bij de servicedesk.",
    "en": "Automated notice: an incident is registered with the service desk.",
}
