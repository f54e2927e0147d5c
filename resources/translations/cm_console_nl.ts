<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About cm-console</source>
        <translation>Over cm-console</translation>
    </message>
    <message>
        <source>One queue for the conversations waiting on your internal social platforms.</source>
        <translation>Eén wachtrij voor de gesprekken die wachten op uw interne sociale platforms.</translation>
    </message>
    <message>
        <source>Licence: %1</source>
        <translation>Licentie: %1</translation>
    </message>
    <message>
        <source>Running on Qt %1 and Python %2</source>
        <translation>Draait op Qt %1 en Python %2</translation>
    </message>
    <message>
        <source>Built with these components, each under its own licence:</source>
        <translation>Gebouwd met deze onderdelen, elk onder een eigen licentie:</translation>
    </message>
    <message>
        <source>%1 does not ship its licence text in its package metadata. Its licence is %2; the full text is published at %3.</source>
        <translation>%1 levert de licentietekst niet mee in de pakketgegevens. De licentie is %2; de volledige tekst staat op %3.</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>niet vermeld</translation>
    </message>
    <message>
        <source>the project&apos;s website</source>
        <translation>de website van het project</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <source>Next conversation</source>
        <translation>Volgend gesprek</translation>
    </message>
    <message>
        <source>Previous conversation</source>
        <translation>Vorig gesprek</translation>
    </message>
    <message>
        <source>&amp;Reply</source>
        <translation>&amp;Beantwoorden</translation>
    </message>
    <message>
        <source>Write a reply (R)</source>
        <translation>Antwoord schrijven (R)</translation>
    </message>
    <message>
        <source>&amp;Tag…</source>
        <translation>&amp;Taggen…</translation>
    </message>
    <message>
        <source>Add or remove a tag (T)</source>
        <translation>Tag toevoegen of verwijderen (T)</translation>
    </message>
    <message>
        <source>&amp;Ask a colleague…</source>
        <translation>&amp;Collega vragen…</translation>
    </message>
    <message>
        <source>Mention or message a colleague who could answer (P)</source>
        <translation>Een collega die kan antwoorden vermelden of een bericht sturen (P)</translation>
    </message>
    <message>
        <source>&amp;Snooze…</source>
        <translation>&amp;Uitstellen…</translation>
    </message>
    <message>
        <source>Hide until a time or until someone replies (S)</source>
        <translation>Verbergen tot een tijdstip of tot iemand antwoordt (S)</translation>
    </message>
    <message>
        <source>&amp;Flag…</source>
        <translation>&amp;Markeren…</translation>
    </message>
    <message>
        <source>Flag for review with a note (F)</source>
        <translation>Markeren voor controle, met een notitie (F)</translation>
    </message>
    <message>
        <source>&amp;Done</source>
        <translation>&amp;Afhandelen</translation>
    </message>
    <message>
        <source>Out of the queue until someone posts again (E)</source>
        <translation>Uit de wachtrij tot iemand weer iets plaatst (E)</translation>
    </message>
    <message>
        <source>Re&amp;open</source>
        <translation>&amp;Heropenen</translation>
    </message>
    <message>
        <source>Back into the queue</source>
        <translation>Terug in de wachtrij</translation>
    </message>
    <message>
        <source>A&amp;ssign…</source>
        <translation>T&amp;oewijzen…</translation>
    </message>
    <message>
        <source>Assign to a console user (A)</source>
        <translation>Toewijzen aan een gebruiker van de console (A)</translation>
    </message>
    <message>
        <source>&amp;Open on the platform</source>
        <translation>Openen op het &amp;platform</translation>
    </message>
    <message>
        <source>Open the conversation in the browser (O)</source>
        <translation>Het gesprek openen in de browser (O)</translation>
    </message>
    <message>
        <source>&amp;Mention…</source>
        <translation>&amp;Vermelden…</translation>
    </message>
    <message>
        <source>Insert a mention in the reply</source>
        <translation>Een vermelding invoegen in het antwoord</translation>
    </message>
    <message>
        <source>&amp;Filter…</source>
        <translation>&amp;Filteren…</translation>
    </message>
    <message>
        <source>Filter the queue by words (/)</source>
        <translation>De wachtrij filteren op woorden (/)</translation>
    </message>
    <message>
        <source>Back to the queue</source>
        <translation>Terug naar de wachtrij</translation>
    </message>
    <message>
        <source>S&amp;ync now</source>
        <translation>Nu &amp;synchroniseren</translation>
    </message>
    <message>
        <source>Pull new activity and send (F5)</source>
        <translation>Nieuwe activiteit ophalen en verzenden (F5)</translation>
    </message>
    <message>
        <source>&amp;Why is this here?</source>
        <translation>&amp;Waarom staat dit hier?</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Sneltoetsen</translation>
    </message>
    <message>
        <source>&amp;Accounts…</source>
        <translation>&amp;Accounts…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Instellingen…</translation>
    </message>
    <message>
        <source>&amp;Outbox…</source>
        <translation>Postvak &amp;UIT…</translation>
    </message>
    <message>
        <source>Save this &amp;view…</source>
        <translation>Deze &amp;weergave opslaan…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>A&amp;fsluiten</translation>
    </message>
    <message>
        <source>&amp;About cm-console</source>
        <translation>&amp;Over cm-console</translation>
    </message>
    <message>
        <source>Send the reply</source>
        <translation>Antwoord verzenden</translation>
    </message>
</context>
<context>
    <name>ComponentsModel</name>
    <message>
        <source>not stated</source>
        <translation>niet vermeld</translation>
    </message>
    <message>
        <source>Component</source>
        <translation>Onderdeel</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versie</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Licentie</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>a short name, e.g. intranet or hr-slack</source>
        <translation>een korte naam, bijv. intranet of hr-slack</translation>
    </message>
    <message>
        <source>Platform options</source>
        <translation>Platformopties</translation>
    </message>
    <message>
        <source>&amp;Platform:</source>
        <translation>&amp;Platform:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Naam:</translation>
    </message>
    <message>
        <source>This platform can also sign in through your browser; use &apos;cm-console account add --login browser&apos; for that.</source>
        <translation>Dit platform kan ook aanmelden via je browser; gebruik daarvoor &apos;cm-console account add --login browser&apos;.</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>&amp;Add account…</source>
        <translation>Account &amp;toevoegen…</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbinding t&amp;esten</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Verwijderen</translation>
    </message>
    <message>
        <source>&amp;Connect and save</source>
        <translation>Verbinden en &amp;opslaan</translation>
    </message>
    <message>
        <source>User: %1</source>
        <translation>Gebruiker: %1</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Laatst gesynchroniseerd: %1</translation>
    </message>
    <message>
        <source>Last error: %1</source>
        <translation>Laatste fout: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s) waiting in the outbox</source>
        <translation>
            <numerusform>%n actie wacht in Postvak UIT</numerusform>
            <numerusform>%n acties wachten in Postvak UIT</numerusform>
        </translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <source>Account added. The first sync starts now.</source>
        <translation>Account toegevoegd. De eerste synchronisatie begint nu.</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>%1 testen…</translation>
    </message>
    <message>
        <source>Connected as %1.</source>
        <translation>Verbonden als %1.</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>Account verwijderen</translation>
    </message>
    <message>
        <source>Remove %1 and everything synced for it? Its secret is removed from the keyring too. Nothing on the platform changes.</source>
        <translation>%1 verwijderen, met alles wat ervoor is gesynchroniseerd? Het wachtwoord of token wordt ook uit de sleutelbos verwijderd. Op het platform verandert niets.</translation>
    </message>
    <message>
        <source>Write a reply… (Ctrl+Enter sends, Esc goes back)</source>
        <translation>Schrijf een antwoord… (Ctrl+Enter verzendt, Esc gaat terug)</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Antwoord</translation>
    </message>
    <message>
        <source>Saved replies</source>
        <translation>Standaardantwoorden</translation>
    </message>
    <message>
        <source>Mention…</source>
        <translation>Vermelden…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Verzenden</translation>
    </message>
    <message>
        <source>Send the reply (Ctrl+Enter). It goes through the outbox.</source>
        <translation>Antwoord verzenden (Ctrl+Enter). Het gaat via Postvak UIT.</translation>
    </message>
    <message>
        <source>This platform does not take replies from the console.</source>
        <translation>Dit platform accepteert geen antwoorden vanuit de console.</translation>
    </message>
    <message numerus="yes">
        <source>%n new reply(ies) since your draft — read them before sending.</source>
        <translation>
            <numerusform>%n nieuw antwoord sinds je concept — lees het voor je verzendt.</numerusform>
            <numerusform>%n nieuwe antwoorden sinds je concept — lees ze voor je verzendt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Draft restored</source>
        <translation>Concept hersteld</translation>
    </message>
    <message>
        <source>Draft saved</source>
        <translation>Concept opgeslagen</translation>
    </message>
    <message>
        <source>Queued in the outbox…</source>
        <translation>In Postvak UIT gezet…</translation>
    </message>
    <message>
        <source>No saved replies yet (Settings → Saved replies)</source>
        <translation>Nog geen standaardantwoorden (Instellingen → Standaardantwoorden)</translation>
    </message>
    <message>
        <source>sending…</source>
        <translation>verzenden…</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Uitstellen</translation>
    </message>
    <message>
        <source>Hide the conversation from the queue until:</source>
        <translation>Het gesprek in de wachtrij verbergen tot:</translation>
    </message>
    <message>
        <source>Someone replies</source>
        <translation>Iemand antwoordt</translation>
    </message>
    <message>
        <source>In 3 hours</source>
        <translation>Over 3 uur</translation>
    </message>
    <message>
        <source>Tomorrow morning (9:00)</source>
        <translation>Morgenochtend (9:00)</translation>
    </message>
    <message>
        <source>Next Monday (9:00)</source>
        <translation>Volgende maandag (9:00)</translation>
    </message>
    <message>
        <source>In a week</source>
        <translation>Over een week</translation>
    </message>
    <message>
        <source>&amp;6  At:</source>
        <translation>&amp;6  Op:</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Taggen</translation>
    </message>
    <message>
        <source>e.g. follow-up, hr, incident</source>
        <translation>bijv. opvolgen, hr, incident</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>Ta&amp;g:</translation>
    </message>
    <message>
        <source>&amp;Remove this tag</source>
        <translation>Deze tag &amp;verwijderen</translation>
    </message>
    <message>
        <source>&amp;Add this tag</source>
        <translation>Deze tag &amp;toevoegen</translation>
    </message>
    <message>
        <source>Current tags: %1</source>
        <translation>Huidige tags: %1</translation>
    </message>
    <message>
        <source>Also set the tags on the &amp;platform</source>
        <translation>De tags ook op het &amp;platform instellen</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Toewijzen</translation>
    </message>
    <message>
        <source>Nobody</source>
        <translation>Niemand</translation>
    </message>
    <message>
        <source>&amp;Assign to:</source>
        <translation>&amp;Toewijzen aan:</translation>
    </message>
    <message>
        <source>Flag for review</source>
        <translation>Markeren voor controle</translation>
    </message>
    <message>
        <source>Why should a reviewer look at this conversation?</source>
        <translation>Waarom moet iemand dit gesprek controleren?</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Markeren</translation>
    </message>
    <message>
        <source>Type a name, handle or department…</source>
        <translation>Typ een naam, gebruikersnaam of afdeling…</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>Kiezen</translation>
    </message>
    <message>
        <source>Ask %1</source>
        <translation>%1 vragen</translation>
    </message>
    <message>
        <source>&amp;Mention in the thread (the answer stays public)</source>
        <translation>&amp;Vermelden in het gesprek (het antwoord blijft openbaar)</translation>
    </message>
    <message>
        <source>Send a &amp;direct message with a link</source>
        <translation>Een &amp;privébericht met een link sturen</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Sneltoetsen</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Actie</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Toets</translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n u</numerusform>
            <numerusform>%n u</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d</source>
        <translation>
            <numerusform>%n d</numerusform>
            <numerusform>%n d</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuut</numerusform>
            <numerusform>%n minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n uur</numerusform>
            <numerusform>%n uur</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dag</numerusform>
            <numerusform>%n dagen</numerusform>
        </translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nieuw</translation>
    </message>
    <message>
        <source>Unanswered</source>
        <translation>Onbeantwoord</translation>
    </message>
    <message>
        <source>Stalled</source>
        <translation>Vastgelopen</translation>
    </message>
    <message>
        <source>Awaiting us</source>
        <translation>Wacht op ons</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwoord</translation>
    </message>
    <message>
        <source>Broadcast</source>
        <translation>Mededeling</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Opgelost</translation>
    </message>
    <message>
        <source>Abandoned</source>
        <translation>Verlaten</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Snoozed</source>
        <translation>Uitgesteld</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Afgehandeld</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Wachtrij</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Aan mij</translation>
    </message>
    <message>
        <source>Flagged</source>
        <translation>Gemarkeerd</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Wacht op verzending</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Verzenden…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Verzonden</translation>
    </message>
    <message>
        <source>Checking whether it arrived</source>
        <translation>Controleren of het is aangekomen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Mislukt</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Vraagt aandacht</translation>
    </message>
    <message>
        <source>Discarded</source>
        <translation>Geannuleerd</translation>
    </message>
    <message numerus="yes">
        <source>answered %n similar question(s)</source>
        <translation>
            <numerusform>beantwoordde %n vergelijkbare vraag</numerusform>
            <numerusform>beantwoordde %n vergelijkbare vragen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>answered %n time(s) in %1</source>
        <translation>
            <numerusform>beantwoordde %n keer in %1</numerusform>
            <numerusform>beantwoordde %n keer in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>answered %n thread(s) with the same tags</source>
        <translation>
            <numerusform>beantwoordde %n gesprek met dezelfde tags</numerusform>
            <numerusform>beantwoordde %n gesprekken met dezelfde tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n accepted answer(s)</source>
        <translation>
            <numerusform>%n geaccepteerd antwoord</numerusform>
            <numerusform>%n geaccepteerde antwoorden</numerusform>
        </translation>
    </message>
    <message>
        <source>last answer %1 ago</source>
        <translation>laatste antwoord %1 geleden</translation>
    </message>
    <message numerus="yes">
        <source>asked %n time(s) this week</source>
        <translation>
            <numerusform>deze week %n keer gevraagd</numerusform>
            <numerusform>deze week %n keer gevraagd</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>asked %n time(s) today: limit reached</source>
        <translation>
            <numerusform>vandaag %n keer gevraagd: limiet bereikt</numerusform>
            <numerusform>vandaag %n keer gevraagd: limiet bereikt</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody has replied for %1</source>
        <translation>Al %1 geen antwoord</translation>
    </message>
    <message>
        <source>Someone wrote after our last reply, %1 ago</source>
        <translation>Iemand schreef na ons laatste antwoord, %1 geleden</translation>
    </message>
    <message>
        <source>The discussion went quiet %1 ago on an open question</source>
        <translation>De discussie viel %1 geleden stil bij een open vraag</translation>
    </message>
    <message>
        <source>Past the first-response target by %1</source>
        <translation>Termijn voor een eerste antwoord %1 overschreden</translation>
    </message>
    <message>
        <source>Asks a question</source>
        <translation>Stelt een vraag</translation>
    </message>
    <message>
        <source>First post by %1</source>
        <translation>Eerste bericht van %1</translation>
    </message>
    <message>
        <source>this colleague</source>
        <translation>deze collega</translation>
    </message>
    <message>
        <source>Someone reacted, but nobody replied</source>
        <translation>Iemand reageerde, maar niemand antwoordde</translation>
    </message>
    <message>
        <source>Waiting for %1</source>
        <translation>Wacht al %1</translation>
    </message>
    <message>
        <source>The colleague you asked has not answered yet</source>
        <translation>De collega die je vroeg, heeft nog niet geantwoord</translation>
    </message>
    <message>
        <source>cm-console — demo workspace</source>
        <translation>cm-console — demowerkruimte</translation>
    </message>
    <message>
        <source>cm-console</source>
        <translation>cm-console</translation>
    </message>
    <message>
        <source>Filter by words…  ( / )</source>
        <translation>Filteren op woorden…  ( / )</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>Spaces</source>
        <translation>Ruimtes</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hoofdwerkbalk</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <source>&amp;Conversation</source>
        <translation>&amp;Gesprek</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Beel&amp;d</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n gesprek</numerusform>
            <numerusform>%n gesprekken</numerusform>
        </translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Weergave opslaan</translation>
    </message>
    <message>
        <source>Name of this view:</source>
        <translation>Naam van deze weergave:</translation>
    </message>
    <message>
        <source>Messages still waiting</source>
        <translation>Berichten wachten nog</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) are still waiting in the outbox. They are sent the next time the console or &apos;cm-console sync&apos; runs. Quit anyway?</source>
        <translation>
            <numerusform>%n bericht wacht nog in Postvak UIT. Het wordt verzonden zodra de console of &apos;cm-console sync&apos; weer draait. Toch afsluiten?</numerusform>
            <numerusform>%n berichten wachten nog in Postvak UIT. Ze worden verzonden zodra de console of &apos;cm-console sync&apos; weer draait. Toch afsluiten?</numerusform>
        </translation>
    </message>
    <message>
        <source>What</source>
        <translation>Wat</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Pogingen</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Aangemaakt</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Probleem</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Tekst</translation>
    </message>
    <message>
        <source>Direct message</source>
        <translation>Privébericht</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Reaction</source>
        <translation>Reactie</translation>
    </message>
    <message>
        <source>New post</source>
        <translation>Nieuw bericht</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Postvak UIT</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Opnieuw proberen</translation>
    </message>
    <message>
        <source>&amp;Discard</source>
        <translation>&amp;Annuleren</translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n actie</numerusform>
            <numerusform>%n acties</numerusform>
        </translation>
    </message>
    <message>
        <source>Unanswered after (hours)</source>
        <translation>Onbeantwoord na (uren)</translation>
    </message>
    <message>
        <source>Stalled after (hours, or auto)</source>
        <translation>Vastgelopen na (uren, of auto)</translation>
    </message>
    <message>
        <source>Abandoned after (days)</source>
        <translation>Verlaten na (dagen)</translation>
    </message>
    <message>
        <source>First-response target (business hours)</source>
        <translation>Termijn eerste antwoord (werkuren)</translation>
    </message>
    <message>
        <source>Business hours</source>
        <translation>Werktijden</translation>
    </message>
    <message>
        <source>Time zone</source>
        <translation>Tijdzone</translation>
    </message>
    <message>
        <source>Community team (handles)</source>
        <translation>Communityteam (gebruikersnamen)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>&amp;Algemeen</translation>
    </message>
    <message>
        <source>&amp;Thresholds and team</source>
        <translation>&amp;Drempels en team</translation>
    </message>
    <message>
        <source>Saved &amp;replies</source>
        <translation>&amp;Standaardantwoorden</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Systeem volgen</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Licht</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Donker</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>only on demand</source>
        <translation>alleen op verzoek</translation>
    </message>
    <message>
        <source>&amp;Apply</source>
        <translation>Toe&amp;passen</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Taal:</translation>
    </message>
    <message>
        <source>T&amp;heme:</source>
        <translation>Th&amp;ema:</translation>
    </message>
    <message>
        <source>Background &amp;sync every:</source>
        <translation>&amp;Synchroniseren elke:</translation>
    </message>
    <message>
        <source>Language and theme apply after a restart of the console.</source>
        <translation>Taal en thema gelden na een herstart van de console.</translation>
    </message>
    <message>
        <source>Account:</source>
        <translation>Account:</translation>
    </message>
    <message>
        <source>Applies to:</source>
        <translation>Geldt voor:</translation>
    </message>
    <message>
        <source>Empty fields use the account&apos;s value or the default shown in grey. Changes recompute the queue from stored posts; nothing is fetched again.</source>
        <translation>Lege velden gebruiken de waarde van het account of de standaardwaarde in grijs. Wijzigingen berekenen de wachtrij opnieuw uit opgeslagen berichten; er wordt niets opnieuw opgehaald.</translation>
    </message>
    <message>
        <source>&amp;Save thresholds</source>
        <translation>Drempels &amp;opslaan</translation>
    </message>
    <message>
        <source>the whole account</source>
        <translation>het hele account</translation>
    </message>
    <message>
        <source>Variables: %1. A fallback after a bar: {author|there}.</source>
        <translation>Variabelen: %1. Een vervangtekst na een streep: {author|allemaal}.</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Nieuw</translation>
    </message>
    <message>
        <source>&amp;Save reply</source>
        <translation>Antwoord &amp;opslaan</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Verwijderen</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Naam:</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Taal:</translation>
    </message>
    <message>
        <source>Text:</source>
        <translation>Tekst:</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Opgeslagen.</translation>
    </message>
    <message>
        <source>Views</source>
        <translation>Weergaven</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>Community&apos;s</translation>
    </message>
    <message>
        <source>Saved views</source>
        <translation>Opgeslagen weergaven</translation>
    </message>
    <message>
        <source>Views and communities</source>
        <translation>Weergaven en community&apos;s</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline: working from the local store</source>
        <translation>Offline: je werkt met de lokale gegevens</translation>
    </message>
    <message numerus="yes">
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n vraagt aandacht</numerusform>
            <numerusform>%n vragen aandacht</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to send</source>
        <translation>
            <numerusform>%n wacht op verzending</numerusform>
            <numerusform>%n wachten op verzending</numerusform>
        </translation>
    </message>
    <message>
        <source>Outbox empty</source>
        <translation>Postvak UIT leeg</translation>
    </message>
    <message>
        <source>not synced yet</source>
        <translation>nog niet gesynchroniseerd</translation>
    </message>
    <message>
        <source>syncing…</source>
        <translation>synchroniseren…</translation>
    </message>
    <message>
        <source>synced %1 ago</source>
        <translation>%1 geleden gesynchroniseerd</translation>
    </message>
    <message>
        <source>error</source>
        <translation>fout</translation>
    </message>
    <message>
        <source>No accounts yet</source>
        <translation>Nog geen accounts</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchroniseren…</translation>
    </message>
    <message>
        <source>Open link?</source>
        <translation>Link openen?</translation>
    </message>
    <message>
        <source>This link leads to %1</source>
        <translation>Deze link gaat naar %1</translation>
    </message>
    <message>
        <source>team</source>
        <translation>team</translation>
    </message>
    <message>
        <source>bot</source>
        <translation>bot</translation>
    </message>
    <message>
        <source>whisper</source>
        <translation>fluisterbericht</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>bewerkt</translation>
    </message>
    <message>
        <source>deleted on the platform</source>
        <translation>verwijderd op het platform</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Jij</translation>
    </message>
    <message>
        <source>Not in the queue: %1</source>
        <translation>Niet in de wachtrij: %1</translation>
    </message>
    <message>
        <source>Priority %1</source>
        <translation>Prioriteit %1</translation>
    </message>
    <message>
        <source>by mention</source>
        <translation>met een vermelding</translation>
    </message>
    <message>
        <source>by direct message</source>
        <translation>per privébericht</translation>
    </message>
    <message>
        <source>Asked %1 %2, %3 ago</source>
        <translation>%1 gevraagd %2, %3 geleden</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>beantwoord</translation>
    </message>
    <message>
        <source>followed up</source>
        <translation>opgevolgd</translation>
    </message>
    <message>
        <source>no answer yet</source>
        <translation>nog geen antwoord</translation>
    </message>
    <message>
        <source>waiting until %1</source>
        <translation>wacht tot %1</translation>
    </message>
    <message>
        <source>Next step: send %1 a direct message (P)</source>
        <translation>Volgende stap: stuur %1 een privébericht (P)</translation>
    </message>
    <message>
        <source>another colleague</source>
        <translation>een andere collega</translation>
    </message>
    <message>
        <source>Next step: ask %1 (P)</source>
        <translation>Volgende stap: vraag het %1 (P)</translation>
    </message>
    <message>
        <source>Why is this here?</source>
        <translation>Waarom staat dit hier?</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Gesprek</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>Niets geselecteerd</translation>
    </message>
    <message>
        <source>Pick a conversation in the queue, or press j and k to move.</source>
        <translation>Kies een gesprek in de wachtrij, of blader met j en k.</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(zonder titel)</translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies)</source>
        <translation>
            <numerusform>%n antwoord</numerusform>
            <numerusform>%n antwoorden</numerusform>
        </translation>
    </message>
    <message>
        <source>assigned to %1</source>
        <translation>toegewezen aan %1</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) done</source>
        <translation>
            <numerusform>%n gesprek afgehandeld</numerusform>
            <numerusform>%n gesprekken afgehandeld</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) back in the queue</source>
        <translation>
            <numerusform>%n gesprek terug in de wachtrij</numerusform>
            <numerusform>%n gesprekken terug in de wachtrij</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) snoozed</source>
        <translation>
            <numerusform>%n gesprek uitgesteld</numerusform>
            <numerusform>%n gesprekken uitgesteld</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tag updated on %n conversation(s)</source>
        <translation>
            <numerusform>Tag bijgewerkt bij %n gesprek</numerusform>
            <numerusform>Tag bijgewerkt bij %n gesprekken</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) assigned</source>
        <translation>
            <numerusform>%n gesprek toegewezen</numerusform>
            <numerusform>%n gesprekken toegewezen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) flagged for review</source>
        <translation>
            <numerusform>%n gesprek gemarkeerd voor controle</numerusform>
            <numerusform>%n gesprekken gemarkeerd voor controle</numerusform>
        </translation>
    </message>
    <message>
        <source>Who could answer this?</source>
        <translation>Wie kan dit beantwoorden?</translation>
    </message>
    <message>
        <source>Asked %1; the message is in the outbox</source>
        <translation>%1 gevraagd; het bericht staat in Postvak UIT</translation>
    </message>
    <message>
        <source>Mention a colleague</source>
        <translation>Een collega vermelden</translation>
    </message>
    <message>
        <source>Reply queued; sending…</source>
        <translation>Antwoord klaargezet; verzenden…</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Gesprek</translation>
    </message>
    <message>
        <source>Started by</source>
        <translation>Gestart door</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wacht</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Antw.</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tags</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Behandelaar</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Welcome to cm-console</source>
        <translation>Welkom bij cm-console</translation>
    </message>
    <message>
        <source>cm-console gathers the conversations that wait for an answer on your organisation&apos;s platforms into one queue:</source>
        <translation>cm-console verzamelt de gesprekken die op de platforms van uw organisatie op een antwoord wachten in één wachtrij:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Unanswered&lt;/b&gt;: a post nobody has replied to yet.</source>
        <translation>&lt;b&gt;Onbeantwoord&lt;/b&gt;: een bericht waarop nog niemand heeft gereageerd.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Stalled&lt;/b&gt;: a discussion that ended on an open question and went quiet.</source>
        <translation>&lt;b&gt;Vastgelopen&lt;/b&gt;: een discussie die eindigde met een open vraag en stil viel.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Awaiting us&lt;/b&gt;: someone posted after the team&apos;s last reply.</source>
        <translation>&lt;b&gt;Wacht op ons&lt;/b&gt;: iemand schreef na de laatste reactie van het team.</translation>
    </message>
    <message>
        <source>Work through it with the keyboard: &lt;b&gt;J&lt;/b&gt; and &lt;b&gt;K&lt;/b&gt; move through the queue, &lt;b&gt;R&lt;/b&gt; replies, &lt;b&gt;E&lt;/b&gt; marks a conversation done and &lt;b&gt;?&lt;/b&gt; lists every shortcut.</source>
        <translation>Werk hem af met het toetsenbord: &lt;b&gt;J&lt;/b&gt; en &lt;b&gt;K&lt;/b&gt; gaan door de wachtrij, &lt;b&gt;R&lt;/b&gt; beantwoordt, &lt;b&gt;E&lt;/b&gt; markeert een gesprek als klaar en &lt;b&gt;?&lt;/b&gt; toont alle sneltoetsen.</translation>
    </message>
    <message>
        <source>Your preferences</source>
        <translation>Uw voorkeuren</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Taal:</translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation>Tijd&amp;zone:</translation>
    </message>
    <message>
        <source>Business hours and response targets count in this zone. You can change both later in Settings.</source>
        <translation>Kantooruren en reactietermijnen tellen in deze zone. U kunt beide later wijzigen in Instellingen.</translation>
    </message>
    <message>
        <source>Open the &amp;demo workspace</source>
        <translation>&amp;Demowerkruimte openen</translation>
    </message>
    <message>
        <source>A simulated intranet with months of history, kept apart from your own data</source>
        <translation>Een gesimuleerd intranet met maanden geschiedenis, gescheiden van uw eigen gegevens</translation>
    </message>
    <message>
        <source>&amp;Connect an account…</source>
        <translation>Account &amp;koppelen…</translation>
    </message>
    <message>
        <source>&amp;Not now</source>
        <translation>&amp;Niet nu</translation>
    </message>
    <message>
        <source>Start with an empty workspace; do not ask again</source>
        <translation>Begin met een lege werkruimte; niet meer vragen</translation>
    </message>
    <message>
        <source>Preparing the demo workspace…</source>
        <translation>Demowerkruimte voorbereiden…</translation>
    </message>
    <message>
        <source>The demo workspace could not be opened: %1</source>
        <translation>De demowerkruimte kon niet worden geopend: %1</translation>
    </message>
    <message>
        <source>Checking the accounts…</source>
        <translation>Accounts controleren…</translation>
    </message>
</context>
</TS>
