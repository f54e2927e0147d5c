"""Attachment names from each platform's message shapes: only files, made safe to show.

The shapes are those the platforms document (Graph ``chatMessage.attachments``, the Yammer v1
message ``attachments``, Matrix media events, Zulip upload links, Discourse's cooked HTML).
Slack and Mattermost are covered against their fake servers in the integration tests.
"""

from __future__ import annotations

from typing import Any

from cm_console.connectors.discourse import normalize as discourse
from cm_console.connectors.engage import normalize as engage
from cm_console.connectors.matrix.timeline import to_post
from cm_console.connectors.teams import normalize as teams
from cm_console.connectors.zulip.connector import uploads_of
from cm_console.domain.model import attachment_names

RLO = "\u202e"


def test_names_are_normalized_and_non_strings_skipped() -> None:
    raws: list[object] = ["C:\\Users\\anouk\\Één plan.docx", None, 42, "", f"foto{RLO}gpj.exe"]
    assert attachment_names(raws) == ("Één plan.docx", "fotogpj.exe")


def test_teams_keeps_shared_files_not_cards_or_quotes() -> None:
    message: dict[str, Any] = {
        "id": "1700000000000",
        "createdDateTime": "2026-11-20T09:00:00Z",
        "from": {"user": {"id": "u-1", "displayName": "Sanne de Vries"}},
        "body": {"contentType": "html", "content": "<p>Het verslag</p>"},
        "attachments": [
            {
                "id": "a1",
                "contentType": "reference",
                "contentUrl": "https://contoso.sharepoint.com/sites/hr/Gedeelde documenten/Ver"
                "slag café.pdf",
                "name": "Verslag café.pdf",
            },
            {"id": "a2", "contentType": "messageReference", "name": None},
            {"id": "a3", "contentType": "application/vnd.microsoft.card.adaptive", "name": None},
        ],
    }
    post, _author = teams.post_of(message, channel="19:c", root="1700000000000", is_root=True)
    assert post.attachments == ("Verslag café.pdf",)
    gone = {**message, "deletedDateTime": "2026-11-21T09:00:00Z"}
    deleted, _author = teams.post_of(gone, channel="19:c", root="1700000000000", is_root=True)
    assert deleted.attachments == ()


def test_engage_keeps_files_and_images_not_link_previews() -> None:
    message: dict[str, Any] = {
        "id": 11,
        "thread_id": 11,
        "sender_id": 5,
        "sender_type": "user",
        "created_at": "2026/11/20 09:00:00 +0000",
        "body": {"plain": "Zie bijlage", "rich": "Zie bijlage"},
        "attachments": [
            {"type": "file", "name": "Rooster Q1 ‘26.xlsx", "original_name": "rooster.xlsx"},
            {"type": "image", "original_name": "groepsfoto.jpg"},
            {"type": "ymodule", "name": "Intranet – nieuws", "web_url": "https://intra.example"},
        ],
    }
    post, _author = engage.post_of(message, engage.References())
    assert post.attachments == ("Rooster Q1 ‘26.xlsx", "groepsfoto.jpg")


def test_matrix_media_events_carry_their_file_name() -> None:
    def event(content: dict[str, Any]) -> dict[str, Any]:
        return {
            "event_id": "$e1",
            "type": "m.room.message",
            "sender": "@sanne:hs",
            "origin_server_ts": 1_763_629_200_000,
            "content": content,
        }

    with_filename = {"msgtype": "m.file", "body": "hier is het", "filename": "notulen.pdf"}
    assert to_post(event(with_filename), "!r:hs", "$e1", edit=None, reactions=()).attachments == (
        "notulen.pdf",
    )
    body_only = {"msgtype": "m.image", "body": "IMG_2041 Zoë.jpg", "url": "mxc://hs/abc"}
    assert to_post(event(body_only), "!r:hs", "$e1", edit=None, reactions=()).attachments == (
        "IMG_2041 Zoë.jpg",
    )
    text = {"msgtype": "m.text", "body": "notulen.pdf staat op de wiki"}
    assert to_post(event(text), "!r:hs", "$e1", edit=None, reactions=()).attachments == ()


def test_zulip_upload_links_name_their_files() -> None:
    content = (
        "Zie [verslag](/user_uploads/2/ab/Xy12/Verslag_overleg_d%C3%A9cembre.pdf) en "
        "[foto](/user_uploads/2/cd/Zz/foto.png); "
        "[elders](https://wiki.example/user_uploads/2/ab/x/elders.pdf) is geen upload, wel: "
        "[](/user_uploads/2/ef/Q/leeg.txt)"
    )
    assert uploads_of(content) == ("Verslag_overleg_décembre.pdf", "foto.png", "leeg.txt")
    assert uploads_of("Geen bijlagen, wel een [link](https://example.org/x.pdf)") == ()


def test_discourse_attachment_links_name_their_files() -> None:
    cooked = (
        '<p>Het beleid: <a class="attachment" href="/uploads/short-url/a1b2.pdf">'
        "Beleid thuiswerken &amp; reizen.pdf</a> (120 KB)</p>"
        '<p><a href="https://example.org/gewoon.pdf">gewoon.pdf</a></p>'
        '<p><a class="attachment" href="/uploads/short-url/c3d4.docx"><b>Één</b> plan.docx</a></p>'
    )
    raw = {
        "id": 7,
        "topic_id": 3,
        "post_number": 1,
        "username": "sanne",
        "user_id": 12,
        "created_at": "2026-11-20T09:00:00.000Z",
        "cooked": cooked,
    }
    post = discourse.post(raw, "https://forum.example/")
    assert post.attachments == ("Beleid thuiswerken & reizen.pdf", "Één plan.docx")
    deleted = {**raw, "deleted_at": "2026-11-21T09:00:00.000Z"}
    assert discourse.post(deleted, "https://forum.example/").attachments == ()
