<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>Format</name>
    <message numerus="yes">
        <source>%n operation(s) waiting in the outbox</source>
        <translation>
            <numerusform>%n operation waiting in the outbox</numerusform>
            <numerusform>%n operations waiting in the outbox</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new reply(ies) since your draft — read them before sending.</source>
        <translation>
            <numerusform>%n new reply since your draft — read it before sending.</numerusform>
            <numerusform>%n new replies since your draft — read them before sending.</numerusform>
        </translation>
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
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
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
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>answered %n similar question(s)</source>
        <translation>
            <numerusform>answered %n similar question</numerusform>
            <numerusform>answered %n similar questions</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>answered %n time(s) in %1</source>
        <translation>
            <numerusform>answered %n time in %1</numerusform>
            <numerusform>answered %n times in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>answered %n thread(s) with the same tags</source>
        <translation>
            <numerusform>answered %n thread with the same tags</numerusform>
            <numerusform>answered %n threads with the same tags</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n accepted answer(s)</source>
        <translation>
            <numerusform>%n accepted answer</numerusform>
            <numerusform>%n accepted answers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>asked %n time(s) this week</source>
        <translation>
            <numerusform>asked %n time this week</numerusform>
            <numerusform>asked %n times this week</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>asked %n time(s) today: limit reached</source>
        <translation>
            <numerusform>asked %n time today: limit reached</numerusform>
            <numerusform>asked %n times today: limit reached</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) are still waiting in the outbox. They are sent the next time the console or &apos;cm-console sync&apos; runs. Quit anyway?</source>
        <translation>
            <numerusform>%n message is still waiting in the outbox. It is sent the next time the console or &apos;cm-console sync&apos; runs. Quit anyway?</numerusform>
            <numerusform>%n messages are still waiting in the outbox. They are sent the next time the console or &apos;cm-console sync&apos; runs. Quit anyway?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n operation(s)</source>
        <translation>
            <numerusform>%n operation</numerusform>
            <numerusform>%n operations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n need(s) attention</source>
        <translation>
            <numerusform>%n needs attention</numerusform>
            <numerusform>%n need attention</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to send</source>
        <translation>
            <numerusform>%n waiting to send</numerusform>
            <numerusform>%n waiting to send</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n reply(ies)</source>
        <translation>
            <numerusform>%n reply</numerusform>
            <numerusform>%n replies</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) done</source>
        <translation>
            <numerusform>%n conversation done</numerusform>
            <numerusform>%n conversations done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) back in the queue</source>
        <translation>
            <numerusform>%n conversation back in the queue</numerusform>
            <numerusform>%n conversations back in the queue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) snoozed</source>
        <translation>
            <numerusform>%n conversation snoozed</numerusform>
            <numerusform>%n conversations snoozed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Tag updated on %n conversation(s)</source>
        <translation>
            <numerusform>Tag updated on %n conversation</numerusform>
            <numerusform>Tag updated on %n conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) assigned</source>
        <translation>
            <numerusform>%n conversation assigned</numerusform>
            <numerusform>%n conversations assigned</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s) flagged for review</source>
        <translation>
            <numerusform>%n conversation flagged for review</numerusform>
            <numerusform>%n conversations flagged for review</numerusform>
        </translation>
    </message>
</context>
</TS>
