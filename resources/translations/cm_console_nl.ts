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
    <name>AnnotationDialog</name>
    <message>
        <source>Annotate</source>
        <translation>Aantekening maken</translation>
    </message>
    <message>
        <source>What should the next reader know about this post? (Ctrl+Enter saves)</source>
        <translation>Wat moet de volgende lezer over dit bericht weten? (Ctrl+Enter bewaart)</translation>
    </message>
    <message>
        <source>Save annotation</source>
        <translation>Aantekening bewaren</translation>
    </message>
</context>
<context>
    <name>AuditModel</name>
    <message>
        <source>When</source>
        <translation>Wanneer</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wie</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Wat</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Gesprek</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(onbekend)</translation>
    </message>
    <message>
        <source>Status changed</source>
        <translation>Status gewijzigd</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Toegewezen</translation>
    </message>
    <message>
        <source>Flag changed</source>
        <translation>Markering gewijzigd</translation>
    </message>
    <message>
        <source>Tagged</source>
        <translation>Label toegevoegd</translation>
    </message>
    <message>
        <source>Tag removed</source>
        <translation>Label verwijderd</translation>
    </message>
    <message>
        <source>Colleague asked</source>
        <translation>Collega gevraagd</translation>
    </message>
    <message>
        <source>Reply queued</source>
        <translation>Antwoord in de wachtrij</translation>
    </message>
    <message>
        <source>Direct message queued</source>
        <translation>Direct bericht in de wachtrij</translation>
    </message>
    <message>
        <source>Platform tags queued</source>
        <translation>Platformlabels in de wachtrij</translation>
    </message>
    <message>
        <source>Reply sent</source>
        <translation>Antwoord verstuurd</translation>
    </message>
    <message>
        <source>Direct message sent</source>
        <translation>Direct bericht verstuurd</translation>
    </message>
    <message>
        <source>Platform tags set</source>
        <translation>Platformlabels gezet</translation>
    </message>
    <message>
        <source>Sent under identity</source>
        <translation>Verstuurd onder identiteit</translation>
    </message>
    <message>
        <source>Discarded from the outbox</source>
        <translation>Uit het postvak uit verwijderd</translation>
    </message>
    <message>
        <source>Sent again</source>
        <translation>Opnieuw verstuurd</translation>
    </message>
    <message>
        <source>Own identity set</source>
        <translation>Eigen identiteit ingesteld</translation>
    </message>
    <message>
        <source>Own identity removed</source>
        <translation>Eigen identiteit verwijderd</translation>
    </message>
    <message>
        <source>Account added</source>
        <translation>Account toegevoegd</translation>
    </message>
    <message>
        <source>Account removed</source>
        <translation>Account verwijderd</translation>
    </message>
    <message>
        <source>Account settings changed</source>
        <translation>Accountinstellingen gewijzigd</translation>
    </message>
    <message>
        <source>Community settings changed</source>
        <translation>Community-instellingen gewijzigd</translation>
    </message>
    <message>
        <source>Setting changed</source>
        <translation>Instelling gewijzigd</translation>
    </message>
    <message>
        <source>Saved reply saved</source>
        <translation>Standaardantwoord opgeslagen</translation>
    </message>
    <message>
        <source>Saved reply removed</source>
        <translation>Standaardantwoord verwijderd</translation>
    </message>
    <message>
        <source>Saved replies replaced</source>
        <translation>Standaardantwoorden vervangen</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>flag removed</source>
        <translation>markering verwijderd</translation>
    </message>
    <message>
        <source>shared account</source>
        <translation>gedeeld account</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>Auditlog</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wie</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Wat</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Sinds</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Vernieuwen</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exporteren…</translation>
    </message>
    <message numerus="yes">
        <source>%n entr(y/ies)</source>
        <translation>
            <numerusform>%n regel</numerusform>
            <numerusform>%n regels</numerusform>
        </translation>
    </message>
    <message>
        <source>the newest only; narrow the filters or export</source>
        <translation>alleen de nieuwste; verfijn de filters of exporteer</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Iedereen</translation>
    </message>
    <message>
        <source>Every action</source>
        <translation>Elke actie</translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Het auditlog exporteren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-bestanden (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>%n entr(y/ies) exported to %1</source>
        <translation>
            <numerusform>%n regel geëxporteerd naar %1</numerusform>
            <numerusform>%n regels geëxporteerd naar %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChartCard</name>
    <message>
        <source>Export</source>
        <translation>Exporteren</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 exporteren</translation>
    </message>
    <message>
        <source>Save chart as PNG…</source>
        <translation>Grafiek opslaan als PNG…</translation>
    </message>
    <message>
        <source>Save data as CSV…</source>
        <translation>Gegevens opslaan als CSV…</translation>
    </message>
    <message>
        <source>Loading chart…</source>
        <translation>Grafiek laden…</translation>
    </message>
    <message>
        <source>Point at the chart to read its values.</source>
        <translation>Wijs de grafiek aan om de waarden te lezen.</translation>
    </message>
    <message>
        <source>Nothing in this period.</source>
        <translation>Niets in deze periode.</translation>
    </message>
    <message>
        <source>Save chart</source>
        <translation>Grafiek opslaan</translation>
    </message>
    <message>
        <source>PNG pictures (*.png)</source>
        <translation>PNG-afbeeldingen (*.png)</translation>
    </message>
    <message>
        <source>Save data</source>
        <translation>Gegevens opslaan</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-bestanden (*.csv)</translation>
    </message>
</context>
<context>
    <name>ClaimBanner</name>
    <message>
        <source>A colleague</source>
        <translation>Een collega</translation>
    </message>
    <message>
        <source>%1 is replying (since %2). What you write stays a draft.</source>
        <translation>%1 is aan het antwoorden (sinds %2). Wat jij schrijft blijft een concept.</translation>
    </message>
</context>
<context>
    <name>CommunityModel</name>
    <message>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestart</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Mediaan</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>p90</translation>
    </message>
    <message>
        <source>Unanswered</source>
        <translation>Onbeantwoord</translation>
    </message>
    <message>
        <source>Dialogue</source>
        <translation>Dialoog</translation>
    </message>
    <message>
        <source>Team dialogue</source>
        <translation>Dialoog team</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Antwoorden</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Mensen</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>Diepte</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Afgesloten</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Opmerking</translation>
    </message>
    <message>
        <source>Only broadcasts</source>
        <translation>Alleen mededelingen</translation>
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
    <name>CredentialsDialog</name>
    <message>
        <source>Where should cm-console keep sign-ins?</source>
        <translation>Waar moet cm-console aanmeldgegevens bewaren?</translation>
    </message>
    <message>
        <source>No system keyring is available (on Linux: a Secret Service such as GNOME Keyring or KWallet).</source>
        <translation>Er is geen sleutelbos van het systeem beschikbaar (op Linux: een Secret Service zoals GNOME Keyring of KWallet).</translation>
    </message>
    <message>
        <source>The only keyring found does not encrypt what it keeps, so cm-console does not use it.</source>
        <translation>De enige gevonden sleutelbos versleutelt niet wat hij bewaart; cm-console gebruikt hem daarom niet.</translation>
    </message>
    <message>
        <source>The system keyring is locked.</source>
        <translation>De sleutelbos van het systeem is vergrendeld.</translation>
    </message>
    <message>
        <source>The system keyring does not answer; it may be waiting for an unlock prompt.</source>
        <translation>De sleutelbos van het systeem antwoordt niet; misschien wacht hij op een ontgrendelvraag.</translation>
    </message>
    <message>
        <source>This sign-in is too large for the system keyring.</source>
        <translation>Deze aanmeldgegevens zijn te groot voor de sleutelbos van het systeem.</translation>
    </message>
    <message>
        <source>The system keyring failed.</source>
        <translation>De sleutelbos van het systeem gaf een fout.</translation>
    </message>
    <message>
        <source>cm-console never stores sign-ins in plain text. Choose where to keep them, or fix the keyring and try again.</source>
        <translation>cm-console bewaart aanmeldgegevens nooit als leesbare tekst. Kies waar ze bewaard worden, of herstel de sleutelbos en probeer het opnieuw.</translation>
    </message>
    <message>
        <source>Only for this session: kept in memory, asked again next time</source>
        <translation>Alleen voor deze sessie: in het geheugen, de volgende keer opnieuw gevraagd</translation>
    </message>
    <message>
        <source>In an encrypted file, protected by a passphrase</source>
        <translation>In een versleuteld bestand, beveiligd met een wachtzin</translation>
    </message>
    <message>
        <source>Passphrase:</source>
        <translation>Wachtzin:</translation>
    </message>
    <message>
        <source>The same again:</source>
        <translation>Nogmaals:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Bestand:</translation>
    </message>
    <message>
        <source>Try the keyring again</source>
        <translation>Sleutelbos opnieuw proberen</translation>
    </message>
    <message>
        <source>Enter a passphrase.</source>
        <translation>Voer een wachtzin in.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>De twee wachtzinnen verschillen.</translation>
    </message>
    <message>
        <source>Wrong passphrase, or the file was altered.</source>
        <translation>Verkeerde wachtzin, of het bestand is gewijzigd.</translation>
    </message>
    <message>
        <source>Passphrase for %1:</source>
        <translation>Wachtzin voor %1:</translation>
    </message>
    <message>
        <source>Encrypted sign-ins</source>
        <translation>Versleutelde aanmeldgegevens</translation>
    </message>
    <message>
        <source>The same passphrase again:</source>
        <translation>Dezelfde wachtzin nogmaals:</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 u</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Laden…</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>All accounts</source>
        <translation>Alle accounts</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>All communities</source>
        <translation>Alle community&apos;s</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Last 4 weeks</source>
        <translation>Laatste 4 weken</translation>
    </message>
    <message>
        <source>Last 12 weeks</source>
        <translation>Laatste 12 weken</translation>
    </message>
    <message>
        <source>Last 6 months</source>
        <translation>Laatste 6 maanden</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>Laatste 12 maanden</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Stap</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>Per week</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>Per maand</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Vernieuwen</translation>
    </message>
    <message>
        <source>First response (business hours)</source>
        <translation>Eerste antwoord (werkuren)</translation>
    </message>
    <message>
        <source>Unanswered</source>
        <translation>Onbeantwoord</translation>
    </message>
    <message>
        <source>Dialogue ratio</source>
        <translation>Dialoogratio</translation>
    </message>
    <message>
        <source>Loop closure</source>
        <translation>Afgerond</translation>
    </message>
    <message>
        <source>Responder load</source>
        <translation>Verdeling antwoorders</translation>
    </message>
    <message>
        <source>Time to first response</source>
        <translation>Tijd tot eerste antwoord</translation>
    </message>
    <message>
        <source>Business hours, employee posts</source>
        <translation>Werkuren, berichten van medewerkers</translation>
    </message>
    <message>
        <source>Dialogue per community</source>
        <translation>Dialoog per community</translation>
    </message>
    <message>
        <source>Unanswered rate and dialogue ratio, busiest communities</source>
        <translation>Aandeel onbeantwoord en dialoogratio, drukste community&apos;s</translation>
    </message>
    <message>
        <source>When people are active</source>
        <translation>Wanneer mensen actief zijn</translation>
    </message>
    <message>
        <source>Posts per weekday and hour</source>
        <translation>Berichten per weekdag en uur</translation>
    </message>
    <message>
        <source>Who answers</source>
        <translation>Wie antwoordt</translation>
    </message>
    <message>
        <source>Qualifying replies per person</source>
        <translation>Tellende antwoorden per persoon</translation>
    </message>
    <message>
        <source>Metrics per community</source>
        <translation>Cijfers per community</translation>
    </message>
    <message>
        <source>Conversations started in the period</source>
        <translation>Gesprekken gestart in de periode</translation>
    </message>
    <message>
        <source>Median time to the first reply, in business hours (employee posts)</source>
        <translation>Mediane tijd tot het eerste antwoord, in werkuren (berichten van medewerkers)</translation>
    </message>
    <message>
        <source>90th percentile of the time to the first reply</source>
        <translation>90e percentiel van de tijd tot het eerste antwoord</translation>
    </message>
    <message>
        <source>Employee posts without a reply, not resolved or closed</source>
        <translation>Berichten van medewerkers zonder antwoord, niet opgelost of gesloten</translation>
    </message>
    <message>
        <source>Employee posts that got a reply</source>
        <translation>Berichten van medewerkers die antwoord kregen</translation>
    </message>
    <message>
        <source>The team&apos;s posts that got a reply</source>
        <translation>Berichten van het team die antwoord kregen</translation>
    </message>
    <message>
        <source>Replies per conversation</source>
        <translation>Antwoorden per gesprek</translation>
    </message>
    <message>
        <source>Distinct people who replied, per answered conversation</source>
        <translation>Verschillende mensen die antwoordden, per beantwoord gesprek</translation>
    </message>
    <message>
        <source>Back-and-forth turns per answered conversation</source>
        <translation>Beurten heen en weer per beantwoord gesprek</translation>
    </message>
    <message>
        <source>Employee posts resolved or closed (loop closure)</source>
        <translation>Berichten van medewerkers die opgelost of gesloten zijn (afgerond)</translation>
    </message>
    <message>
        <source>Communities</source>
        <translation>Community&apos;s</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Berekenen…</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>ma</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>di</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>wo</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>do</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>vr</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>za</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>zo</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>uren</translation>
    </message>
    <message>
        <source> h</source>
        <translation> u</translation>
    </message>
    <message>
        <source>posts</source>
        <translation>berichten</translation>
    </message>
    <message numerus="yes">
        <source>%1 – %2 · %3 · %n conversation(s) started</source>
        <translation>
            <numerusform>%1 – %2 · %3 · %n gesprek gestart</numerusform>
            <numerusform>%1 – %2 · %3 · %n gesprekken gestart</numerusform>
        </translation>
    </message>
    <message>
        <source>No answered posts in this period</source>
        <translation>Geen beantwoorde berichten in deze periode</translation>
    </message>
    <message>
        <source>%1 median</source>
        <translation>mediaan %1</translation>
    </message>
    <message>
        <source>p90 %1 · team median %2 · %3 within target</source>
        <translation>p90 %1 · mediaan team %2 · %3 binnen termijn</translation>
    </message>
    <message numerus="yes">
        <source>%n employee post(s) without a reply</source>
        <translation>
            <numerusform>%n bericht van een medewerker zonder antwoord</numerusform>
            <numerusform>%n berichten van medewerkers zonder antwoord</numerusform>
        </translation>
    </message>
    <message>
        <source>employee posts answered · team posts %1</source>
        <translation>berichten van medewerkers beantwoord · van het team %1</translation>
    </message>
    <message>
        <source>resolved or closed · depth %1 turns</source>
        <translation>opgelost of gesloten · diepte %1 beurten</translation>
    </message>
    <message>
        <source>of replies by the top 20 % · team %1</source>
        <translation>van de antwoorden door de top 20 % · team %1</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Mediaan</translation>
    </message>
    <message>
        <source>p90</source>
        <translation>p90</translation>
    </message>
    <message>
        <source>Team median</source>
        <translation>Mediaan team</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Colleagues</source>
        <translation>Collega&apos;s</translation>
    </message>
    <message>
        <source>only broadcasts</source>
        <translation>alleen mededelingen</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Antwoorden</translation>
    </message>
    <message>
        <source>team</source>
        <translation>team</translation>
    </message>
    <message numerus="yes">
        <source>%n people answered; Gini %1</source>
        <translation>
            <numerusform>%n persoon antwoordde; Gini %1</numerusform>
            <numerusform>%n mensen antwoordden; Gini %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DecisionDialog</name>
    <message>
        <source>Decide</source>
        <translation>Besluiten</translation>
    </message>
    <message>
        <source>Nothing to act on: the conversation stays as it is</source>
        <translation>Geen actie nodig: het gesprek blijft zoals het is</translation>
    </message>
    <message>
        <source>Someone else has to act (legal, HR, a manager)</source>
        <translation>Iemand anders moet in actie komen (juridisch, HR, een leidinggevende)</translation>
    </message>
    <message>
        <source>Acted on and closed</source>
        <translation>Opgepakt en afgesloten</translation>
    </message>
    <message>
        <source>Note for the record (optional):</source>
        <translation>Toelichting voor het dossier (niet verplicht):</translation>
    </message>
    <message>
        <source>Record decision</source>
        <translation>Besluit vastleggen</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export for review</source>
        <translation>Exporteren voor beoordeling</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>Gesprekken</translation>
    </message>
    <message numerus="yes">
        <source>The %n selected conversation(s)</source>
        <translation>
            <numerusform>Het %n geselecteerde gesprek</numerusform>
            <numerusform>De %n geselecteerde gesprekken</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n conversation(s) in the list</source>
        <translation>
            <numerusform>Het %n gesprek in de lijst</numerusform>
            <numerusform>Alle %n gesprekken in de lijst</numerusform>
        </translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formaat</translation>
    </message>
    <message>
        <source>&amp;PDF document, to print or send</source>
        <translation>&amp;PDF-document, om te printen of te versturen</translation>
    </message>
    <message>
        <source>&amp;HTML page, opens in any browser</source>
        <translation>&amp;HTML-pagina, opent in elke browser</translation>
    </message>
    <message>
        <source>&amp;CSV, one row per post, for a spreadsheet</source>
        <translation>&amp;CSV, één regel per bericht, voor een spreadsheet</translation>
    </message>
    <message>
        <source>&amp;Review packet, for a reviewer&apos;s console (annotations come back)</source>
        <translation>&amp;Beoordelingspakket, voor de console van een beoordelaar (aantekeningen komen terug)</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Privacy</translation>
    </message>
    <message>
        <source>P&amp;seudonymise people (Person A, Person B…)</source>
        <translation>Personen p&amp;seudonimiseren (Persoon A, Persoon B…)</translation>
    </message>
    <message>
        <source>Remove e-&amp;mail addresses and phone numbers</source>
        <translation>E-&amp;mailadressen en telefoonnummers verwijderen</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Bestand</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Bladeren…</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>B&amp;estand:</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exporteren</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exporteren naar</translation>
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
        <source>&amp;Reason:</source>
        <translation>&amp;Reden:</translation>
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
        <source>Review</source>
        <translation>Beoordelen</translation>
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
    <name>MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Planner</source>
        <translation>Planner</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Auditlog</translation>
    </message>
</context>
<context>
    <name>Planner</name>
    <message>
        <source>Poll</source>
        <translation>Peiling</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>Gepland</translation>
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
        <source>Needs attention</source>
        <translation>Vraagt aandacht</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Geannuleerd</translation>
    </message>
    <message>
        <source>Write the post (or the poll&apos;s question) first.</source>
        <translation>Schrijf eerst het bericht (of de vraag van de peiling).</translation>
    </message>
    <message>
        <source>The title is too long.</source>
        <translation>De titel is te lang.</translation>
    </message>
    <message>
        <source>A poll needs at least two options.</source>
        <translation>Een peiling heeft minstens twee keuzes nodig.</translation>
    </message>
    <message>
        <source>A poll can have at most ten options.</source>
        <translation>Een peiling kan hoogstens tien keuzes hebben.</translation>
    </message>
    <message>
        <source>Two poll options are the same.</source>
        <translation>Twee keuzes van de peiling zijn gelijk.</translation>
    </message>
</context>
<context>
    <name>PlannerModel</name>
    <message>
        <source>When</source>
        <translation>Wanneer</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>Antwoorden</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Mensen</translation>
    </message>
    <message>
        <source>First reply</source>
        <translation>Eerste antwoord</translation>
    </message>
</context>
<context>
    <name>PlannerPage</name>
    <message>
        <source>Planner</source>
        <translation>Planner</translation>
    </message>
    <message>
        <source>Conversation starters and who answers them</source>
        <translation>Gespreksstarters en wie erop antwoordt</translation>
    </message>
    <message>
        <source>New starter</source>
        <translation>Nieuwe starter</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalender</translation>
    </message>
    <message>
        <source>Selected starter</source>
        <translation>Gekozen starter</translation>
    </message>
    <message>
        <source>Conversation starters</source>
        <translation>Gespreksstarters</translation>
    </message>
    <message>
        <source>No conversation starters yet. Plan one below: a question or a poll that invites replies, with someone on duty to answer.</source>
        <translation>Nog geen gespreksstarters. Plan er hieronder een: een vraag of peiling die uitnodigt tot reageren, met iemand van dienst om te antwoorden.</translation>
    </message>
    <message>
        <source>Starters</source>
        <translation>Starters</translation>
    </message>
    <message>
        <source>%1 scheduled · %2 sent · sent at their time by the outbox</source>
        <translation>%1 gepland · %2 verzonden · Postvak UIT verzendt ze op hun tijd</translation>
    </message>
    <message>
        <source>On duty: %1</source>
        <translation>Van dienst: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n saved reply(ies) prepared</source>
        <translation>
            <numerusform>%n standaardantwoord klaar</numerusform>
            <numerusform>%n standaardantwoorden klaar</numerusform>
        </translation>
    </message>
    <message>
        <source>Notes: %1</source>
        <translation>Notities: %1</translation>
    </message>
    <message>
        <source>No reply yet</source>
        <translation>Nog geen antwoord</translation>
    </message>
    <message>
        <source>First reply after %1 of business hours</source>
        <translation>Eerste antwoord na %1 werkuren</translation>
    </message>
    <message>
        <source>Thread: %1</source>
        <translation>Gesprek: %1</translation>
    </message>
    <message>
        <source>Scheduled for %1. The outbox sends it at that time.</source>
        <translation>Gepland voor %1. Postvak UIT verzendt het op dat moment.</translation>
    </message>
    <message>
        <source>The starter was cancelled.</source>
        <translation>De starter is geannuleerd.</translation>
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
    <name>Review</name>
    <message>
        <source>Flagged conversations</source>
        <translation>Gemarkeerde gesprekken</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Beoordelen</translation>
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
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
    <message>
        <source>Every reason</source>
        <translation>Elke reden</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Besluit</translation>
    </message>
    <message>
        <source>Every decision</source>
        <translation>Elk besluit</translation>
    </message>
    <message>
        <source>Undecided</source>
        <translation>Geen besluit</translation>
    </message>
    <message>
        <source>Import packet…</source>
        <translation>Pakket importeren…</translation>
    </message>
    <message>
        <source>Import a review packet with its annotations (I)</source>
        <translation>Een beoordelingspakket met aantekeningen importeren (I)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporteren…</translation>
    </message>
    <message>
        <source>Export to PDF, HTML, CSV or a review packet (X)</source>
        <translation>Exporteren naar PDF, HTML, CSV of een beoordelingspakket (X)</translation>
    </message>
    <message>
        <source>Record a decision (D)</source>
        <translation>Een besluit vastleggen (D)</translation>
    </message>
    <message>
        <source>Annotate</source>
        <translation>Aantekening maken</translation>
    </message>
    <message>
        <source>Annotate the current post (A)</source>
        <translation>Een aantekening maken bij het huidige bericht (A)</translation>
    </message>
    <message>
        <source>Flagged conversation</source>
        <translation>Gemarkeerd gesprek</translation>
    </message>
    <message>
        <source>J/K conversations · N/P posts · A annotate · D decide · X export · I import a packet · / filter</source>
        <translation>J/K gesprekken · N/P berichten · A aantekening · D besluit · X exporteren · I pakket importeren · / filteren</translation>
    </message>
    <message>
        <source>Links like this are never opened: %1</source>
        <translation>Links als deze worden nooit geopend: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n flagged</source>
        <translation>
            <numerusform>%n gemarkeerd</numerusform>
            <numerusform>%n gemarkeerd</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n without a decision</source>
        <translation>
            <numerusform>%n zonder besluit</numerusform>
            <numerusform>%n zonder besluit</numerusform>
        </translation>
    </message>
    <message>
        <source>No flagged conversations</source>
        <translation>Geen gemarkeerde gesprekken</translation>
    </message>
    <message>
        <source>Flag a conversation in the queue (F), or import a review packet (I).</source>
        <translation>Markeer een gesprek in de wachtrij (F), of importeer een beoordelingspakket (I).</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(zonder titel)</translation>
    </message>
    <message>
        <source>started %1</source>
        <translation>gestart %1</translation>
    </message>
    <message>
        <source>Flagged %1 · %2</source>
        <translation>Gemarkeerd %1 · %2</translation>
    </message>
    <message>
        <source>No decision yet</source>
        <translation>Nog geen besluit</translation>
    </message>
    <message>
        <source>%1 by %2, %3</source>
        <translation>%1 door %2, %3</translation>
    </message>
    <message>
        <source>Deleted on the platform (noticed %1). This is the copy kept when it was flagged.</source>
        <translation>Verwijderd op het platform (opgemerkt %1). Dit is de kopie die bij het markeren is bewaard.</translation>
    </message>
    <message>
        <source>Complete copy pending: it is fetched at the next sync. Shown is what the console has so far.</source>
        <translation>Volledige kopie volgt: die wordt bij de volgende synchronisatie opgehaald. Hier staat wat de console tot nu toe heeft.</translation>
    </message>
    <message>
        <source>From a review packet: a read-only copy, never synced.</source>
        <translation>Uit een beoordelingspakket: een alleen-lezen kopie, wordt nooit gesynchroniseerd.</translation>
    </message>
    <message>
        <source>Complete copy kept %1: readable offline, whatever the platform does.</source>
        <translation>Volledige kopie bewaard %1: offline leesbaar, wat het platform ook doet.</translation>
    </message>
    <message>
        <source>Annotation on post #%1 by %2</source>
        <translation>Aantekening bij bericht #%1 van %2</translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n gesprek</numerusform>
            <numerusform>%n gesprekken</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 recorded on %n conversation(s)</source>
        <translation>
            <numerusform>%1 vastgelegd bij %n gesprek</numerusform>
            <numerusform>%1 vastgelegd bij %n gesprekken</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing to export: the list is empty</source>
        <translation>Niets te exporteren: de lijst is leeg</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n conversation(s) to %1</source>
        <translation>
            <numerusform>%n gesprek geëxporteerd naar %1</numerusform>
            <numerusform>%n gesprekken geëxporteerd naar %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Bezig met exporteren…</translation>
    </message>
    <message>
        <source>Import a review packet</source>
        <translation>Een beoordelingspakket importeren</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n conversation(s) with their annotations</source>
        <translation>
            <numerusform>%n gesprek met aantekeningen geïmporteerd</numerusform>
            <numerusform>%n gesprekken met aantekeningen geïmporteerd</numerusform>
        </translation>
    </message>
    <message>
        <source>No reason</source>
        <translation>Geen reden</translation>
    </message>
    <message>
        <source>Conduct</source>
        <translation>Gedrag</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>Privacy</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>Vertrouwelijk</translation>
    </message>
    <message>
        <source>Legal</source>
        <translation>Juridisch</translation>
    </message>
    <message>
        <source>HR matter</source>
        <translation>HR-kwestie</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Overig</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Bewaren</translation>
    </message>
    <message>
        <source>Escalate</source>
        <translation>Escaleren</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Afhandelen</translation>
    </message>
    <message>
        <source>deleted on the platform</source>
        <translation>verwijderd op het platform</translation>
    </message>
    <message>
        <source>copy pending</source>
        <translation>kopie volgt</translation>
    </message>
    <message>
        <source>imported</source>
        <translation>geïmporteerd</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Verwijderen</translation>
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
        <source>edited %1</source>
        <translation>bewerkt %1</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>Bijlagen:</translation>
    </message>
    <message>
        <source>Earlier version, until %1:</source>
        <translation>Eerdere versie, tot %1:</translation>
    </message>
    <message>
        <source>On the whole conversation</source>
        <translation>Bij het hele gesprek</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>Besluiten</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>Flagged conversation</source>
        <translation>Gemarkeerd gesprek</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>Besluit</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Sinds</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notities</translation>
    </message>
    <message>
        <source>Annotations by reviewers</source>
        <translation>Aantekeningen van beoordelaars</translation>
    </message>
    <message>
        <source>How long ago it was flagged</source>
        <translation>Hoe lang geleden het is gemarkeerd</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(zonder titel)</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1 door %2</translation>
    </message>
</context>
<context>
    <name>StarterDetails</name>
    <message>
        <source>Replies</source>
        <translation>Antwoorden</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Mensen</translation>
    </message>
    <message>
        <source>First reply</source>
        <translation>Eerste antwoord</translation>
    </message>
    <message>
        <source>Pick a starter to see its plan and how it did.</source>
        <translation>Kies een starter om het plan te zien en hoe het ging.</translation>
    </message>
</context>
<context>
    <name>StarterEditor</name>
    <message>
        <source>New conversation starter</source>
        <translation>Nieuwe gespreksstarter</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>Poll</source>
        <translation>Peiling</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Soort</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wanneer</translation>
    </message>
    <message>
        <source>Suggest a time</source>
        <translation>Tijd voorstellen</translation>
    </message>
    <message>
        <source>The next busiest hour of the community&apos;s last eight weeks</source>
        <translation>Het volgende drukste uur van de laatste acht weken in de community</translation>
    </message>
    <message>
        <source>Title (forums); optional on chat platforms</source>
        <translation>Titel (forums); optioneel op chatplatforms</translation>
    </message>
    <message>
        <source>The post — or the poll&apos;s question</source>
        <translation>Het bericht — of de vraag van de peiling</translation>
    </message>
    <message>
        <source>One option per line</source>
        <translation>Eén keuze per regel</translation>
    </message>
    <message>
        <source>Who answers: console users or colleagues</source>
        <translation>Wie antwoordt: gebruikers van de console of collega&apos;s</translation>
    </message>
    <message>
        <source>Prepared saved replies</source>
        <translation>Klaargezette standaardantwoorden</translation>
    </message>
    <message>
        <source>Expected questions, hints for those on duty</source>
        <translation>Verwachte vragen, tips voor wie van dienst is</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>Plannen</translation>
    </message>
    <message>
        <source>Cancel starter</source>
        <translation>Starter annuleren</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leegmaken</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Waar</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Tekst</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Keuzes</translation>
    </message>
    <message>
        <source>On duty</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Saved replies</source>
        <translation>Standaardantwoorden</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notities</translation>
    </message>
    <message>
        <source>None of your accounts&apos; platforms lets the console start conversations.</source>
        <translation>Op geen van de platforms van je accounts kan de console gesprekken beginnen.</translation>
    </message>
    <message>
        <source>Sent as a %1 poll.</source>
        <translation>Verzonden als %1-peiling.</translation>
    </message>
    <message>
        <source>This platform has no polls: the options are numbered and people vote by reacting with the number.</source>
        <translation>Dit platform heeft geen peilingen: de keuzes worden genummerd en mensen stemmen door met het nummer te reageren.</translation>
    </message>
    <message>
        <source>Scheduled starter</source>
        <translation>Geplande starter</translation>
    </message>
    <message>
        <source>Starter (%1)</source>
        <translation>Starter (%1)</translation>
    </message>
    <message>
        <source>Save changes</source>
        <translation>Wijzigingen opslaan</translation>
    </message>
    <message>
        <source>No activity in the last weeks to suggest a time.</source>
        <translation>Geen activiteit in de laatste weken om een tijd voor te stellen.</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>maandag</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>dinsdag</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>woensdag</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>donderdag</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>vrijdag</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>zaterdag</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>zondag</translation>
    </message>
    <message>
        <source>%1 %2:00 (%3 posts)</source>
        <translation>%1 %2:00 (%3 berichten)</translation>
    </message>
    <message>
        <source>this community</source>
        <translation>deze community</translation>
    </message>
    <message>
        <source>this account</source>
        <translation>dit account</translation>
    </message>
    <message>
        <source>Busiest hours in %1: %2</source>
        <translation>Drukste uren in %1: %2</translation>
    </message>
</context>
<context>
    <name>TeamController</name>
    <message>
        <source>A colleague took over a conversation you were replying to.</source>
        <translation>Een collega heeft een gesprek overgenomen waarop jij aan het antwoorden was.</translation>
    </message>
    <message numerus="yes">
        <source>%n draft(s) kept on this computer are saved again.</source>
        <translation>
            <numerusform>%n concept dat op deze computer bewaard werd, is weer opgeslagen.</numerusform>
            <numerusform>%n concepten die op deze computer bewaard werden, zijn weer opgeslagen.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamDialog</name>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>This console shares the team database %1.</source>
        <translation>Deze console deelt de teamdatabase %1.</translation>
    </message>
    <message>
        <source>This console works on a database on this computer. A team database (PostgreSQL) lets colleagues share one queue.</source>
        <translation>Deze console werkt met een database op deze computer. Met een teamdatabase (PostgreSQL) delen collega&apos;s één wachtrij.</translation>
    </message>
    <message>
        <source>Online: %1</source>
        <translation>Online: %1</translation>
    </message>
    <message>
        <source>nobody else</source>
        <translation>verder niemand</translation>
    </message>
    <message>
        <source>postgresql+psycopg://ROLE@HOST/DATABASE</source>
        <translation>postgresql+psycopg://ROL@SERVER/DATABASE</translation>
    </message>
    <message>
        <source>kept in the system keyring</source>
        <translation>bewaard in de sleutelbos van het systeem</translation>
    </message>
    <message>
        <source>Team database</source>
        <translation>Teamdatabase</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Wachtwoord</translation>
    </message>
    <message>
        <source>Connect and use</source>
        <translation>Verbinden en gebruiken</translation>
    </message>
    <message>
        <source>Use this computer only</source>
        <translation>Alleen deze computer gebruiken</translation>
    </message>
    <message>
        <source>Enter the address of the team database.</source>
        <translation>Vul het adres van de teamdatabase in.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinden…</translation>
    </message>
    <message>
        <source>From the next start this console uses this computer&apos;s database.</source>
        <translation>Vanaf de volgende start gebruikt deze console de database op deze computer.</translation>
    </message>
    <message>
        <source>Connected (schema %1). From the next start this console uses the team database.</source>
        <translation>Verbonden (schema %1). Vanaf de volgende start gebruikt deze console de teamdatabase.</translation>
    </message>
</context>
<context>
    <name>TeamIndicator</name>
    <message>
        <source>This computer only</source>
        <translation>Alleen deze computer</translation>
    </message>
    <message>
        <source>Set up a team database to share the queue with colleagues</source>
        <translation>Stel een teamdatabase in om de wachtrij met collega&apos;s te delen</translation>
    </message>
    <message>
        <source>Team database unreachable</source>
        <translation>Teamdatabase onbereikbaar</translation>
    </message>
    <message>
        <source>Drafts are kept on this computer until it is back</source>
        <translation>Concepten worden op deze computer bewaard tot hij terug is</translation>
    </message>
    <message numerus="yes">
        <source>%n colleague(s) online</source>
        <translation>
            <numerusform>%n collega online</numerusform>
            <numerusform>%n collega&apos;s online</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is replying to conversation %2</source>
        <translation>%1 antwoordt op gesprek %2</translation>
    </message>
    <message>
        <source>No colleague is online</source>
        <translation>Er is geen collega online</translation>
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
