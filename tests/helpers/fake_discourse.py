"""A Discourse fixture server: the documented JSON API over real HTTP, with real state.

Tests seed users, categories, topics and posts, then inspect what the connector left behind.
It models what the connector relies on: ``/latest.json?order=activity`` paging by ``bumped_at``
(pinned topics first), ``/posts.json?before=`` (regular visible posts only, 50 per page, newest
id first), topic views with the first 20 posts plus the id stream, ``/t/{id}/posts.json`` by ids,
admin and User API key authentication (a bad key is a 403 ``invalid_access``), 429 with
``extras.wait_seconds`` and ``Retry-After``, the ``just_posted_that`` duplicate check for
non-staff users, edits, deletions (staff see ``deleted_at``), whispers, likes and accepted answers.
New topics (``POST /posts.json`` with ``title`` and ``category``) are validated as Discourse does
with its default site settings: title length 15–255, first post at least 20 characters, no
duplicate title, the title prettified (first letter capitalised); a category the user may not
create topics in is a 403 ``invalid_access``, like a bad key. ``/topics/created-by/{username}``
lists a user's topics (``order=created``, 30 a page).
"""

from __future__ import annotations

import base64
import bisect
import html
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from werkzeug.wrappers import Request, Response

from tests.helpers.wsgi import Faults, generic_fault, json_response

ADMIN_KEY = "discourse-admin-key-0123456789"
REGULAR, MODERATOR_ACTION, SMALL_ACTION, WHISPER = 1, 2, 3, 4


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def cook(raw: str) -> str:
    """A small Markdown subset: paragraphs, ``>`` quotes, fenced code and inline code."""
    out: list[str] = []
    blocks = raw.strip().split("\n\n")
    for block in blocks:
        lines = block.split("\n")
        if block.startswith("```"):
            body = "\n".join(line for line in lines if not line.startswith("```"))
            out.append(f"<pre><code>{html.escape(body)}</code></pre>")
        elif all(line.startswith(">") for line in lines):
            inner = " ".join(line.lstrip("> ") for line in lines)
            out.append(f"<blockquote><p>{html.escape(inner)}</p></blockquote>")
        else:
            text = html.escape(" ".join(lines))
            parts = text.split("`")
            text = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
            out.append(f"<p>{text}</p>")
    return "\n".join(out)


@dataclass
class User:
    id: int
    username: str
    name: str
    admin: bool = False
    email: str = ""


@dataclass
class Post:
    id: int
    topic_id: int
    user_id: int
    post_number: int
    raw: str
    created_at: datetime
    post_type: int = REGULAR
    reply_to_post_number: int | None = None
    updated_at: datetime | None = None
    version: int = 1
    deleted_at: datetime | None = None
    user_deleted: bool = False
    likes: set[int] = field(default_factory=set)
    accepted: bool = False


@dataclass
class Topic:
    id: int
    title: str
    category_id: int
    user_id: int
    created_at: datetime
    bumped_at: datetime
    tags: list[str] = field(default_factory=list)
    closed: bool = False
    archived: bool = False
    pinned: bool = False
    archetype: str = "regular"
    allowed: list[int] = field(default_factory=list)
    post_ids: list[int] = field(default_factory=list)


class FakeDiscourse:
    """The fixture forum (a WSGI app; run it with :func:`tests.helpers.wsgi.serve`)."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.lock = threading.RLock()
        self.users: dict[int, User] = {}
        self.categories: dict[int, dict[str, Any]] = {}
        self.topics: dict[int, Topic] = {}
        self.posts: dict[int, Post] = {}
        self.user_keys: dict[str, int] = {}
        self.requests: list[tuple[str, str]] = []
        self.faults = Faults()
        self.unique_posts_window = timedelta(minutes=5)
        self.min_topic_title_length = 15
        self.max_topic_title_length = 255
        self.min_first_post_length = 20
        self.create_restricted: set[int] = set()
        """Categories where only staff may create topics (others may still reply)."""
        self.on_create: Callable[[Post], None] | None = None
        """Called after a post is created (tests use it to cut the connection afterwards)."""
        self._ids = itertools.count(1000)
        self._topic_ids = itertools.count(100)
        self.add_category(1, "Uncategorized")

    # --- seeding -------------------------------------------------------------------------------

    def add_user(self, uid: int, username: str, name: str = "", admin: bool = False) -> User:
        user = User(uid, username, name or username.title(), admin, f"{username}@example.org")
        self.users[uid] = user
        return user

    def add_category(self, cid: int, name: str, parent: int | None = None) -> None:
        self.categories[cid] = {
            "id": cid,
            "name": name,
            "slug": name.lower().replace(" ", "-"),
            "description_text": f"About {name}",
            "parent_category_id": parent,
        }

    def add_topic(
        self,
        user_id: int,
        title: str,
        raw: str,
        at: datetime,
        category_id: int = 1,
        tags: list[str] | None = None,
        topic_id: int | None = None,
    ) -> Topic:
        with self.lock:
            tid = topic_id if topic_id is not None else next(self._topic_ids)
            topic = Topic(tid, title, category_id, user_id, at, at, list(tags or ()))
            self.topics[tid] = topic
            self.add_post(tid, user_id, raw, at)
            return topic

    def add_post(
        self,
        topic_id: int,
        user_id: int,
        raw: str,
        at: datetime,
        post_type: int = REGULAR,
        reply_to: int | None = None,
    ) -> Post:
        with self.lock:
            topic = self.topics[topic_id]
            number = len(topic.post_ids) + 1
            post = Post(
                next(self._ids), topic_id, user_id, number, raw, at, post_type, reply_to, at
            )
            self.posts[post.id] = post
            topic.post_ids.append(post.id)
            if post_type == REGULAR:
                topic.bumped_at = max(topic.bumped_at, at)
            return post

    def edit(self, post_id: int, raw: str, at: datetime) -> None:
        post = self.posts[post_id]
        post.raw, post.updated_at, post.version = raw, at, post.version + 1

    def delete(self, post_id: int, at: datetime, by_author: bool = False) -> None:
        post = self.posts[post_id]
        if by_author:
            post.user_deleted = True
            post.raw = "(post withdrawn by author, will be automatically deleted in 24 hours)"
        else:
            post.deleted_at = at

    def user_key(self, user_id: int) -> str:
        key = f"user-api-key-{user_id}-{len(self.user_keys)}"
        self.user_keys[key] = user_id
        return key

    def replies(self, topic_id: int) -> list[Post]:
        return [self.posts[p] for p in self.topics[topic_id].post_ids[1:]]

    def count(self, prefix: str) -> int:
        return sum(1 for _, path in self.requests if path.startswith(prefix))

    # --- serialization ------------------------------------------------------------------------

    def _visible(self, post: Post, viewer: User) -> bool:
        if post.post_type == WHISPER and not viewer.admin:
            return False
        return not (post.deleted_at and not viewer.admin)

    def _post_json(self, post: Post, viewer: User, raw: bool = False) -> dict[str, Any]:
        topic = self.topics[post.topic_id]
        author = self.users[post.user_id]
        body: dict[str, Any] = {
            "id": post.id,
            "name": author.name,
            "username": author.username,
            "user_id": author.id,
            "created_at": iso(post.created_at),
            "updated_at": iso(post.updated_at or post.created_at),
            "cooked": cook(post.raw),
            "post_number": post.post_number,
            "post_type": post.post_type,
            "reply_to_post_number": post.reply_to_post_number,
            "topic_id": topic.id,
            "topic_slug": topic.title.lower().replace(" ", "-")[:40],
            "topic_title": topic.title,
            "category_id": topic.category_id,
            "version": post.version,
            "deleted_at": iso(post.deleted_at) if post.deleted_at else None,
            "user_deleted": post.user_deleted,
            "accepted_answer": post.accepted,
            "actions_summary": (
                [{"id": 2, "count": len(post.likes), "acted": viewer.id in post.likes}]
                if post.likes
                else []
            ),
        }
        if raw:
            body["raw"] = post.raw
        return body

    def _topic_json(self, topic: Topic) -> dict[str, Any]:
        accepted = any(self.posts[p].accepted for p in topic.post_ids)
        return {
            "id": topic.id,
            "title": topic.title,
            "fancy_title": topic.title,
            "slug": topic.title.lower().replace(" ", "-")[:40],
            "posts_count": len(topic.post_ids),
            "reply_count": max(0, len(topic.post_ids) - 1),
            "highest_post_number": len(topic.post_ids),
            "created_at": iso(topic.created_at),
            "last_posted_at": iso(topic.bumped_at),
            "bumped": True,
            "bumped_at": iso(topic.bumped_at),
            "archetype": topic.archetype,
            "pinned": topic.pinned,
            "visible": True,
            "closed": topic.closed,
            "archived": topic.archived,
            "tags": list(topic.tags),
            "category_id": topic.category_id,
            "has_accepted_answer": accepted,
            "posters": [{"user_id": topic.user_id, "description": "Original Poster"}],
        }

    # --- the WSGI app --------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        with self.lock:
            self.requests.append((request.method, request.path))
        response = self._dispatch(request)
        return response(environ, start_response)

    def _viewer(self, request: Request) -> User | None:
        key = request.headers.get("User-Api-Key")
        if key is not None:
            uid = self.user_keys.get(key)
            return self.users.get(uid) if uid is not None else None
        if request.headers.get("Api-Key") == ADMIN_KEY:
            name = (request.headers.get("Api-Username") or "").lower()
            return next((u for u in self.users.values() if u.username.lower() == name), None)
        return None

    def _dispatch(self, request: Request) -> Response:
        fault = self.faults.take(request)
        if fault is not None:
            if fault.kind == "throttle":
                wait = int(fault.body or 1)
                return json_response(
                    {
                        "errors": ["You’ve performed this action too many times."],
                        "error_type": "rate_limit",
                        "extras": {"wait_seconds": wait, "time_left": f"{wait} seconds"},
                    },
                    429,
                    {
                        "Retry-After": str(wait),
                        "Discourse-Rate-Limit-Error-Code": "ip_10_secs_limit",
                    },
                )
            if fault.kind == "after":
                # Do the work, then answer with an error: the write happened but we say 5xx.
                self._route(request)
                return generic_fault(fault, lambda: json_response({}))
            return generic_fault(fault, lambda: self._route(request))
        return self._route(request)

    def _route(self, request: Request) -> Response:
        path = request.path
        if path == "/user-api-key/new":
            return self._user_api_key_new(request)
        viewer = self._viewer(request)
        if viewer is None:
            return json_response(
                {
                    "errors": [
                        (
                            "You are not permitted to view the requested resource. "
                            "The API username or key is invalid."
                        )
                    ],
                    "error_type": "invalid_access",
                },
                403,
            )
        with self.lock:
            return self._route_authed(request, viewer)

    def _route_authed(self, request: Request, viewer: User) -> Response:
        path, args = request.path, request.args
        parts = path.strip("/").split("/")
        if path == "/session/current.json":
            u = viewer
            return json_response(
                {"current_user": {"id": u.id, "username": u.username, "name": u.name}}
            )
        if path == "/categories.json":
            top = [c for c in self.categories.values() if c["parent_category_id"] is None]
            cats = [
                {
                    **c,
                    "subcategory_list": [
                        s for s in self.categories.values() if s["parent_category_id"] == c["id"]
                    ],
                }
                for c in top
            ]
            return json_response({"category_list": {"categories": cats}})
        if path == "/latest.json":
            return self._latest(args)
        if path == "/posts.json" and request.method == "GET":
            return self._latest_posts(args, viewer)
        if path == "/posts.json" and request.method == "POST":
            return self._create(request, viewer)
        if len(parts) == 3 and parts[:2] == ["topics", "created-by"]:
            return self._topics_by(parts[2].removesuffix(".json"), args)
        if len(parts) == 2 and parts[0] == "posts" and parts[1].endswith(".json"):
            post = self.posts.get(int(parts[1][:-5]))
            if post is None or not self._visible(post, viewer):
                return json_response({"errors": ["not found"]}, 404)
            return json_response(self._post_json(post, viewer, raw=True))
        if len(parts) == 3 and parts[0] == "t" and parts[1] == "-" and request.method == "PUT":
            topic = self.topics.get(int(parts[2][:-5]))
            if topic is None:
                return json_response({"errors": ["not found"]}, 404)
            topic.tags = [t for t in request.form.getlist("tags[]") if t]
            return json_response({"basic_topic": {"id": topic.id, "title": topic.title}})
        if len(parts) == 2 and parts[0] == "t" and parts[1].endswith(".json"):
            return self._topic_view(int(parts[1][:-5]), viewer)
        if len(parts) == 3 and parts[0] == "t" and parts[2] == "posts.json":
            ids = [int(i) for i in args.getlist("post_ids[]")]
            topic = self.topics.get(int(parts[1]))
            if topic is None:
                return json_response({"errors": ["not found"]}, 404)
            posts = [
                self._post_json(self.posts[i], viewer)
                for i in ids
                if i in topic.post_ids and self._visible(self.posts[i], viewer)
            ]
            return json_response({"post_stream": {"posts": posts}})
        if path == "/directory_items.json":
            page = int(args.get("page", 0))
            users = sorted(self.users.values(), key=lambda u: u.id)[page * 50 : page * 50 + 50]
            items = [
                {"id": u.id, "user": {"id": u.id, "username": u.username, "name": u.name}}
                for u in users
            ]
            more = len(self.users) > (page + 1) * 50
            return json_response(
                {"directory_items": items, "meta": {"load_more_directory_items": more}}
            )
        if path.startswith("/admin/users/list/"):
            if not viewer.admin:
                return json_response({"errors": ["not found"], "error_type": "not_found"}, 404)
            page = int(args.get("page", 1))
            users = sorted(self.users.values(), key=lambda u: u.id)[(page - 1) * 100 : page * 100]
            return json_response(
                [
                    {"id": u.id, "username": u.username, "name": u.name, "email": u.email}
                    for u in users
                ]
            )
        return json_response({"errors": ["not found"]}, 404)

    def _latest(self, args: Any) -> Response:
        per_page = min(int(args.get("per_page", 30)), 100)
        page = int(args.get("page", 0))
        topics = [t for t in self.topics.values() if t.archetype == "regular"]
        topics.sort(key=lambda t: (not t.pinned, -t.bumped_at.timestamp(), -t.id))
        chunk = topics[page * per_page : (page + 1) * per_page]
        more = len(topics) > (page + 1) * per_page
        listing: dict[str, Any] = {"topics": [self._topic_json(t) for t in chunk]}
        if more:
            listing["more_topics_url"] = "/latest?" + urlencode(
                {"order": "activity", "page": page + 1, "per_page": per_page}
            )
        users = [{"id": u.id, "username": u.username} for u in self.users.values()]
        return json_response({"users": users, "topic_list": listing})

    def _latest_posts(self, args: Any, viewer: User) -> Response:
        before = int(args.get("before", 0)) or None
        ids = sorted(self.posts)  # ids only grow; a sorted list makes paging cheap at 10k topics
        end = bisect.bisect_left(ids, before) if before is not None else len(ids)
        page: list[Post] = []
        for pid in reversed(ids[:end]):
            p = self.posts[pid]
            if (
                p.post_type == REGULAR
                and not p.deleted_at
                and self.topics[p.topic_id].archetype == "regular"
            ):
                page.append(p)
                if len(page) == 50:
                    break
        return json_response({"latest_posts": [self._post_json(p, viewer, raw=True) for p in page]})

    def _topics_by(self, username: str, args: Any) -> Response:
        user = next(
            (u for u in self.users.values() if u.username.lower() == username.lower()), None
        )
        if user is None:
            return json_response({"errors": ["not found"], "error_type": "not_found"}, 404)
        page = int(args.get("page", 0))
        topics = [
            t for t in self.topics.values() if t.user_id == user.id and t.archetype == "regular"
        ]
        if args.get("order") == "created":
            topics.sort(key=lambda t: (-t.created_at.timestamp(), -t.id))
        else:
            topics.sort(key=lambda t: (-t.bumped_at.timestamp(), -t.id))
        chunk = topics[page * 30 : (page + 1) * 30]
        listing: dict[str, Any] = {"topics": [self._topic_json(t) for t in chunk]}
        if len(topics) > (page + 1) * 30:
            query = {"page": page + 1, **({"order": args["order"]} if "order" in args else {})}
            listing["more_topics_url"] = f"/topics/created-by/{user.username}?" + urlencode(query)
        return json_response(
            {"users": [{"id": user.id, "username": user.username}], "topic_list": listing}
        )

    def _topic_view(self, topic_id: int, viewer: User) -> Response:
        topic = self.topics.get(topic_id)
        if topic is None or (topic.archetype != "regular" and viewer.id not in topic.allowed):
            return json_response({"errors": ["not found"], "error_type": "not_found"}, 404)
        visible = [self.posts[p] for p in topic.post_ids if self._visible(self.posts[p], viewer)]
        body = self._topic_json(topic)
        accepted = next((p for p in visible if p.accepted), None)
        if accepted is not None:
            body["accepted_answer"] = {"post_number": accepted.post_number}
        body["chunk_size"] = 20
        body["post_stream"] = {
            "posts": [self._post_json(p, viewer) for p in visible[:20]],
            "stream": [p.id for p in visible],
        }
        return json_response(body)

    def _create(self, request: Request, viewer: User) -> Response:
        data = request.get_json(silent=True) or request.form.to_dict()
        raw = str(data.get("raw") or "")
        if len(raw.strip()) < 2:
            return json_response({"action": "create_post", "errors": ["Body is too short"]}, 422)
        if not viewer.admin:
            # unique_post_validator: the same user, the same raw, within the window.
            for post in self.posts.values():
                if (
                    post.user_id == viewer.id
                    and post.raw == raw
                    and self.now - post.created_at < self.unique_posts_window
                ):
                    return json_response(
                        {
                            "action": "create_post",
                            "errors": ["Body is too similar to what you recently posted"],
                        },
                        422,
                    )
        if data.get("archetype") == "private_message":
            names = str(data.get("target_recipients") or "").split(",")
            allowed = [u.id for u in self.users.values() if u.username in names]
            if len(allowed) != len([n for n in names if n]):
                return json_response({"errors": ["unknown recipient"]}, 422)
            tid = next(self._topic_ids)
            topic = Topic(tid, str(data.get("title")), 0, viewer.id, self.now, self.now)
            topic.archetype, topic.allowed = "private_message", [viewer.id, *allowed]
            self.topics[tid] = topic
            post = self.add_post(tid, viewer.id, raw, self.now)
        elif not data.get("topic_id"):
            created = self._new_topic(data, raw, viewer)
            if isinstance(created, Response):
                return created
            post = created
        else:
            topic_id = int(data.get("topic_id") or 0)
            topic = self.topics.get(topic_id)
            if topic is None:
                return json_response({"errors": ["topic not found"]}, 404)
            if topic.closed:
                return json_response({"errors": ["This topic is closed"]}, 403)
            reply_to = data.get("reply_to_post_number")
            post = self.add_post(
                topic_id, viewer.id, raw, self.now, reply_to=int(reply_to) if reply_to else None
            )
        if self.on_create is not None:
            self.on_create(post)
        return json_response(self._post_json(post, viewer, raw=True))

    def _new_topic(self, data: Any, raw: str, viewer: User) -> Post | Response:
        """TopicCreator with Discourse's default site settings."""

        def refused(*errors: str) -> Response:
            return json_response({"action": "create_post", "errors": list(errors)}, 422)

        category_id = int(data.get("category") or 1)
        if category_id not in self.categories:
            return json_response(
                {
                    "errors": ["You supplied invalid parameters to the request: category"],
                    "error_type": "invalid_parameters",
                },
                400,
            )
        if category_id in self.create_restricted and not viewer.admin:
            # Guardian#ensure_can_create! raises InvalidAccess: the same answer as a bad key.
            return json_response(
                {
                    "errors": ["You are not permitted to view the requested resource."],
                    "error_type": "invalid_access",
                },
                403,
            )
        title = " ".join(str(data.get("title") or "").split())
        errors = []
        if len(title) < self.min_topic_title_length:
            errors.append(
                f"Title is too short (minimum is {self.min_topic_title_length} characters)"
            )
        elif len(title) > self.max_topic_title_length:
            errors.append(
                f"Title is too long (maximum is {self.max_topic_title_length} characters)"
            )
        elif any(
            t.title.casefold() == title.casefold() and t.archetype == "regular"
            for t in self.topics.values()
        ):
            errors.append("Title has already been used")
        if len(raw.strip()) < self.min_first_post_length:
            errors.append(f"Body is too short (minimum is {self.min_first_post_length} characters)")
        if errors:
            return refused(*errors)
        title = title[:1].upper() + title[1:]  # title_prettify
        tid = next(self._topic_ids)
        self.topics[tid] = Topic(tid, title, category_id, viewer.id, self.now, self.now)
        return self.add_post(tid, viewer.id, raw, self.now)

    def topics_titled(self, text: str) -> list[Topic]:
        """Regular topics whose title contains ``text``."""
        return [t for t in self.topics.values() if text in t.title and t.archetype == "regular"]

    def _user_api_key_new(self, request: Request) -> Response:
        """Approves at once, as if the signed-in person clicked "Authorize"."""
        args = request.args
        uid = int(args.get("as_user", 0)) or next(iter(self.users))
        key = self.user_key(uid)
        pem = args["public_key"].encode()
        public = serialization.load_pem_public_key(pem)
        payload = json.dumps({"key": key, "nonce": args["nonce"], "push": False, "api": 4})
        if args.get("padding") == "oaep":
            scheme: Any = padding.OAEP(
                mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None
            )
        else:
            scheme = padding.PKCS1v15()
        encrypted = base64.b64encode(public.encrypt(payload.encode(), scheme)).decode()  # type: ignore[union-attr]
        redirect = args.get("auth_redirect")
        if redirect:
            sep = "&" if "?" in redirect else "?"
            return Response(
                status=302,
                headers={"Location": f"{redirect}{sep}" + urlencode({"payload": encrypted})},
            )
        page = f"<html><body><p>Copy this:</p><pre id='payload'>{encrypted}</pre></body></html>"
        return Response(page, content_type="text/html")
