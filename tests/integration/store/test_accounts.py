"""Accounts, containers, people, console users, workspace settings, saved replies and the sync
lease, on both engines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cm_console.domain.model import Page, PlatformKind, RemoteContainer, RemotePerson
from cm_console.store import Store
from cm_console.store.accounts import AccountExists
from tests.helpers.builders import ME, add_account
from tests.helpers.fixtures import NOW

H = timedelta(hours=1)


def test_accounts(store: Store) -> None:
    acc = store.accounts.add(
        name="intranet",
        platform="discourse",
        platform_kind=PlatformKind.FORUM,
        url="https://forum.example",
        username="cm",
        options={"sla_hours": "8", "team": "anouk"},
        now=NOW,
    )
    assert store.accounts.get("intranet") == acc
    assert store.accounts.by_id(acc.id) == acc
    assert (acc.options, acc.created_at) == ({"sla_hours": "8", "team": "anouk"}, NOW)
    with pytest.raises(AccountExists):
        store.accounts.add(
            name="intranet",
            platform="slack",
            platform_kind=PlatformKind.CHAT,
            url=None,
            username=None,
            options={},
            now=NOW,
        )
    store.accounts.set_options(acc.id, {"sla_hours": "2"})
    store.accounts.set_own_person(acc.id, "u-7")
    again = store.accounts.get("intranet")
    assert again is not None
    assert (again.options, again.own_person_remote_id) == ({"sla_hours": "2"}, "u-7")
    assert [a.name for a in store.accounts.all()] == ["intranet"]
    assert store.accounts.get("nope") is None


def test_the_own_user_and_the_team_setting_make_the_team(store: Store) -> None:
    acc = add_account(store, options={"team": "@Anouk, ÉMILE"}, now=NOW)
    people = (
        RemotePerson("u-anouk", "anouk", "Anouk"),
        RemotePerson("u-emile", "Émile", "Émile"),
        RemotePerson("u-bob", "bob", "Bob"),
    )
    store.ingest.page(acc, Page("~people", None, people=people), NOW)
    assert {p.handle: p.is_team for p in store.accounts.people(acc)} == {
        "me": True,
        "anouk": True,
        "Émile": True,
        "bob": False,
    }
    store.accounts.set_options(acc, {"team": ""})
    store.recompute_account(acc)
    assert {p.handle for p in store.accounts.people(acc) if p.is_team} == {"me"}


def test_containers_keep_their_options(store: Store) -> None:
    acc = add_account(store, now=NOW)
    store.ingest.page(
        acc, Page("*", None, containers=(RemoteContainer("c1", "Help", kind="category"),)), NOW
    )
    (container,) = store.accounts.containers(acc)
    store.accounts.set_container_options(container.id, {"sla_hours": "1"})
    store.ingest.page(acc, Page("*", None, containers=(RemoteContainer("c1", "Help desk"),)), NOW)
    (container,) = store.accounts.containers(acc)
    assert (container.name, container.options) == ("Help desk", {"sla_hours": "1"})


def test_finding_people(store: Store) -> None:
    acc = add_account(store, now=NOW)
    people = (
        RemotePerson("u-1", "sven", "Sven de Wit"),
        RemotePerson("u-2", "Ölaf", "Ölaf Åberg"),
    )
    store.ingest.page(acc, Page("~people", None, people=people), NOW)
    for ref, remote_id in (
        ("@sven", "u-1"),
        ("SVEN", "u-1"),
        ("u-2", "u-2"),
        ("sven de wit", "u-1"),
        ("ölaf", "u-2"),
        ("ÖLAF ÅBERG", "u-2"),
    ):
        found = store.accounts.find_person(acc, ref)
        assert found is not None and found.remote_id == remote_id, ref
    assert store.accounts.find_person(acc, "nobody") is None
    assert store.accounts.find_person(acc + 1, "sven") is None


def test_console_users(store: Store) -> None:
    anouk = store.users.ensure("Anouk", NOW)
    assert store.users.ensure("Anouk", NOW + H) == anouk
    emile = store.users.ensure("Émile", NOW)
    assert store.users.get("anouk") == anouk
    assert store.users.get("émile") == emile
    assert store.users.get("ÉMILE") == emile
    assert store.users.get("nobody") is None
    assert [u.name for u in store.users.all()] == ["Anouk", "Émile"]


def test_workspace_settings_round_trip(store: Store) -> None:
    store.settings.set_many({"sync_interval_minutes": 5, "outbox_max_attempts": 8})
    store.settings.set_many({"sync_interval_minutes": 0, "nested": {"a": [1, "ü"]}})
    assert store.settings.get_all() == {
        "sync_interval_minutes": 0,
        "outbox_max_attempts": 8,
        "nested": {"a": [1, "ü"]},
    }


def test_saved_replies(store: Store) -> None:
    first = store.saved_replies.save("Thanks", "en", "Thanks {author|}!")
    store.saved_replies.save("Bedankt", "nl", "Dank je {author|}!")
    store.saved_replies.save("Thanks!", "en", "Thank you {author|there}!", reply_id=first)
    assert [(r.name, r.language) for r in store.saved_replies.all()] == [
        ("Thanks!", "en"),
        ("Bedankt", "nl"),
    ]
    assert [r.body for r in store.saved_replies.all("nl")] == ["Dank je {author|}!"]
    store.saved_replies.delete(first)
    store.saved_replies.replace([("A", "en", "a"), ("B", "nl", "b")])
    assert [r.name for r in store.saved_replies.all()] == ["A", "B"]


class TestSyncLease:
    def test_one_sync_per_account(self, store: Store) -> None:
        acc = add_account(store, now=NOW)
        lease = store.sync_state
        assert lease.acquire(acc, "window", NOW, timedelta(minutes=5))
        assert not lease.acquire(acc, "cron", NOW + timedelta(minutes=1), timedelta(minutes=5))
        assert lease.acquire(acc, "window", NOW + timedelta(minutes=1), timedelta(minutes=5))
        (status,) = lease.status(NOW + timedelta(minutes=2))
        assert status.running

    def test_an_expired_lease_can_be_taken_over_exactly_at_expiry(self, store: Store) -> None:
        acc = add_account(store, now=NOW)
        lease = store.sync_state
        assert lease.acquire(acc, "window", NOW, timedelta(minutes=5))
        almost = NOW + timedelta(minutes=5) - timedelta(milliseconds=1)
        assert not lease.acquire(acc, "cron", almost, timedelta(minutes=5))
        assert lease.acquire(acc, "cron", NOW + timedelta(minutes=5), timedelta(minutes=5))
        assert not lease.renew(acc, "window", NOW, timedelta(minutes=5)), "it lost the lease"
        assert lease.renew(acc, "cron", NOW + timedelta(minutes=6), timedelta(minutes=5))

    def test_release_records_the_outcome(self, store: Store) -> None:
        acc = add_account(store, now=NOW)
        lease = store.sync_state
        lease.acquire(acc, "window", NOW, timedelta(minutes=5))
        lease.release(acc, "cron", NOW, error_code="x", error="not its lease")
        (status,) = lease.status(NOW)
        assert status.running and status.last_error is None
        lease.release(acc, "window", NOW + H)
        (status,) = lease.status(NOW + H)
        assert (status.running, status.last_success_at, status.last_attempt_at) == (
            False,
            NOW + H,
            NOW,
        )
        lease.acquire(acc, "window", NOW + 2 * H, timedelta(minutes=5))
        lease.release(acc, "window", NOW + 2 * H, error_code="network", error="offline")
        (status,) = lease.status(NOW + 2 * H)
        assert (status.last_error_code, status.last_error, status.last_success_at) == (
            "network",
            "offline",
            NOW + H,
        )
        assert lease.acquire(acc, "cron", NOW + 2 * H, timedelta(minutes=5))


def test_the_own_user_is_marked_when_first_seen(store: Store) -> None:
    acc = store.accounts.add(
        name="x",
        platform="demo",
        platform_kind=PlatformKind.CHAT,
        url=None,
        username=None,
        options={},
        now=NOW,
    )
    store.accounts.set_own_person(acc.id, ME.remote_id)
    store.ingest.page(acc.id, Page("~me", None, people=(ME,)), NOW)
    assert [p.is_team for p in store.accounts.people(acc.id)] == [True]


def test_racing_for_a_first_lease_gives_it_to_exactly_one(store: Store) -> None:
    # The window and a cron 'sync' start the very first sync of an account at the same moment.
    import threading

    from cm_console.store import Database

    acc = add_account(store, now=NOW)
    racers = 6
    barrier = threading.Barrier(racers)
    outcomes: list[object] = []

    def race(n: int) -> None:
        other = Store(Database(store.db.url))
        try:
            barrier.wait(timeout=30)
            outcomes.append(other.sync_state.acquire(acc, f"h{n}", NOW, timedelta(minutes=5)))
        except Exception as exc:
            outcomes.append(exc)
        finally:
            other.close()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(map(repr, outcomes)) == ["False"] * (racers - 1) + ["True"]


def test_racing_to_add_the_same_account(store: Store) -> None:
    import threading

    from cm_console.store import Database

    racers = 6
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []

    def race(n: int) -> None:
        other = Store(Database(store.db.url))
        try:
            barrier.wait(timeout=30)
            other.accounts.add(
                name="shared",
                platform="demo",
                platform_kind=PlatformKind.FORUM,
                url=None,
                username=f"u{n}",
                options={},
                now=NOW,
            )
            outcomes.append("added")
        except AccountExists:
            outcomes.append("exists")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            other.close()

    workers = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    assert sorted(outcomes) == ["added"] + ["exists"] * (racers - 1)
    assert [a.name for a in store.accounts.all()] == ["shared"]
