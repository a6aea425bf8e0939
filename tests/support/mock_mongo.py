#!/usr/bin/python3
"""mock_mongo.py - a small in-memory MongoDB wire-protocol server for tests.

Built on Debian's python3-mockupdb (which does the OP_QUERY / OP_MSG framing)
and python3-bson. It lets the real libmongoc (C driver) talk to something
that behaves enough like a *standalone* mongod for an exporter:

  * handshake: hello / isMaster / ismaster, buildInfo, ping, endSessions, ...
    (maxWireVersion 17 = MongoDB 6.0, so libmongoc 1.23 uses OP_MSG after
    the initial OP_QUERY handshake)
  * insert, update (upsert, replacement or $set/$setOnInsert/$unset/$inc),
    delete, createIndexes, dropIndexes, listIndexes, find (equality, $eq,
    $ne, $in, $exists and $lt/$lte/$gt/$gte filters),
    count, a trivial aggregate ($match/$skip/$limit/$count/$group-const),
    listCollections, drop, dropDatabase
  * unique _id (and unique secondary indexes): duplicate key -> code 11000,
    ordered writes stop at the first error, unordered keep going; both
    report writeErrors like a real server
  * every accepted write operation is appended to --store as one line of
    canonical MongoDB Extended JSON (bson.json_util), including the
    writeConcern the command carried
  * fault injection: --fail-on-write, --fail-mode, --require-auth
  * SIGTERM / SIGINT -> clean shutdown, exit status 0

Run it with Debian's interpreter (the pyenv python3 on PATH has no mockupdb):

    /usr/bin/python3 tests/support/mock_mongo.py --port-file P --store S

then wait until P exists and is non-empty; it holds the TCP port number on
127.0.0.1. Point the driver at mongodb://127.0.0.1:<port>/.

Store file format (one JSON object per line, canonical extended JSON, so
parse it with bson.json_util.loads, or libbson's bson_new_from_json):

    {"seq": 1, "cmd_no": 1, "op": "insert", "db": "invlog", "coll": "events",
     "writeConcern": {"w": "majority"} | null, "ordered": true,
     "doc": {...the stored document...}}
    {"seq": 2, "cmd_no": 2, "op": "update", ..., "q": {...}, "u": {...},
     "upsert": true, "multi": false,
     "outcome": "upserted" | "modified" | "unchanged" | "nomatch",
     "doc": {...document after the update, null for nomatch...}}
    {"seq": 3, "cmd_no": null, "op": "createIndexes", ..., "index": {...}}
    {"seq": 4, "cmd_no": null, "op": "dropIndexes", ..., "index": {...}}
    {"seq": 5, "cmd_no": 3, "op": "delete", ..., "q": {...}, "doc": {...}}

  seq    - line number, 1-based
  cmd_no - number of the write command (insert/update/delete) that carried
           the operation, 1-based; the same numbering --fail-on-write uses.
           null for createIndexes and dropIndexes (which are not counted as
           write commands).
Only operations that were applied are written (a duplicate-key insert is not).

Concurrency: mockupdb serialises all handlers behind one lock (its
_server_loop is @_synchronized), so the in-memory state needs no extra
locking; we still take our own lock to keep that assumption explicit.
"""

import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import os
import signal
import sys
import threading
import weakref
from collections import OrderedDict

import bson
from bson import Int64, ObjectId, json_util
from bson.json_util import CANONICAL_JSON_OPTIONS
import mockupdb

MAX_WIRE_VERSION = 17          # MongoDB 6.0
STALL = object()               # a reply held back by --fail-mode stall
SERVER_VERSION = "6.0.0"

# Server error codes used below (same numbers as a real mongod).
E_INTERNAL = 1
E_BAD_VALUE = 2
E_UNAUTHORIZED = 13
E_AUTH_FAILED = 18
E_NS_NOT_FOUND = 26
E_INDEX_NOT_FOUND = 27
E_INVALID_OPTIONS = 72
E_COMMAND_NOT_FOUND = 59
E_IMMUTABLE_FIELD = 66
E_INDEX_OPTIONS_CONFLICT = 85
E_INDEX_KEY_SPECS_CONFLICT = 86
E_DUPLICATE_KEY = 11000
E_WRITE_CONCERN_FAILED = 64

WRITE_COMMANDS = ("insert", "update", "delete")

# Commands allowed before authentication when --require-auth is on.
PRE_AUTH_COMMANDS = {"hello", "ismaster", "buildinfo", "ping", "saslstart",
                     "saslcontinue", "endsessions", "getnonce",
                     "killcursors"}


class CommandError(Exception):
    """Raised by handlers; turned into {ok: 0, code, errmsg, codeName}."""

    def __init__(self, code, errmsg, code_name=None):
        super().__init__(errmsg)
        self.code = code
        self.errmsg = errmsg
        self.code_name = code_name


class WriteError(Exception):
    """A per-document write error (goes into writeErrors[])."""

    def __init__(self, code, errmsg, **extra):
        super().__init__(errmsg)
        self.code = code
        self.errmsg = errmsg
        self.extra = extra


# --------------------------------------------------------------------------
# Tiny query / update engine (just enough for an exporter and its tests)
# --------------------------------------------------------------------------

_MISSING = object()


def get_path(doc, path):
    """Value at a dotted path, or _MISSING."""
    cur = doc
    for part in path.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return _MISSING
    return cur


def set_path(doc, path, value):
    parts = path.split(".")
    cur = doc
    for part in parts[:-1]:
        nxt = cur.get(part)
        if not isinstance(nxt, dict):
            nxt = OrderedDict()
            cur[part] = nxt
        cur = nxt
    cur[parts[-1]] = value


def unset_path(doc, path):
    parts = path.split(".")
    cur = doc
    for part in parts[:-1]:
        cur = cur.get(part)
        if not isinstance(cur, dict):
            return
    cur.pop(parts[-1], None)


def bson_equal(a, b):
    """Equality that does not confuse True with 1 (Python does)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return (list(a.keys()) == list(b.keys()) and
                all(bson_equal(a[k], b[k]) for k in a))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(bson_equal, a, b))
    return a == b


ORDER_OPERATORS = {"$lt": lambda a, b: a < b, "$lte": lambda a, b: a <= b,
                   "$gt": lambda a, b: a > b, "$gte": lambda a, b: a >= b}


def type_bracket(value):
    """The class of values a comparison operator compares with each other:
    like mongod, $lt and friends never match across classes (a string is
    not less than a number, a missing field matches nothing)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):   # int, Int64, double
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, datetime.datetime):
        return "date"
    return None


def ordered_match(actual, op, arg):
    bracket = type_bracket(arg)
    if actual is _MISSING or bracket is None or type_bracket(actual) != bracket:
        return False
    if bracket == "date":   # bson decodes naive or aware; compare as UTC
        actual, arg = [d.replace(tzinfo=None) if d.tzinfo is None else
                       d.astimezone(datetime.timezone.utc).replace(tzinfo=None)
                       for d in (actual, arg)]
    return ORDER_OPERATORS[op](actual, arg)


def value_matches(actual, cond):
    """Match one field value against a filter condition."""
    if isinstance(cond, dict) and cond and all(
            k.startswith("$") for k in cond):
        for op, arg in cond.items():
            if op == "$eq":
                ok = actual is not _MISSING and bson_equal(actual, arg)
            elif op == "$ne":
                ok = actual is _MISSING or not bson_equal(actual, arg)
            elif op == "$in":
                ok = actual is not _MISSING and any(
                    bson_equal(actual, x) for x in arg)
            elif op == "$exists":
                ok = (actual is not _MISSING) == bool(arg)
            elif op in ORDER_OPERATORS:
                ok = ordered_match(actual, op, arg)
            else:
                raise CommandError(E_BAD_VALUE,
                                   "mock_mongo: unsupported query operator "
                                   + op, "BadValue")
            if not ok:
                return False
        return True
    if actual is _MISSING:
        return cond is None  # {a: null} matches missing fields
    if isinstance(actual, list) and not isinstance(cond, list):
        return any(bson_equal(x, cond) for x in actual)
    return bson_equal(actual, cond)


def matches(doc, flt):
    for key, cond in (flt or {}).items():
        if key == "$and":
            if not all(matches(doc, f) for f in cond):
                return False
        elif key.startswith("$"):
            raise CommandError(E_BAD_VALUE,
                               "mock_mongo: unsupported top-level operator "
                               + key, "BadValue")
        elif not value_matches(get_path(doc, key), cond):
            return False
    return True


def index_options(spec):
    """What makes two index specifications on one key differ, as mongod
    compares them: everything but v, key, name and the ignored background;
    unique and sparse false are the same as absent."""
    out = {}
    for k, v in spec.items():
        if k in ("v", "key", "name", "background", "ns"):
            continue
        if k in ("unique", "sparse"):
            if v:
                out[k] = "true"
            continue
        out[k] = json_util.dumps(v)
    return out


def show_index(spec):
    return json_util.dumps(OrderedDict([("v", spec.get("v", 2))] + [
        (k, v) for k, v in spec.items() if k != "v"]))


def is_operator_update(u):
    return isinstance(u, dict) and any(k.startswith("$") for k in u)


def apply_update_ops(doc, u, inserting):
    """Apply $set/$setOnInsert/$unset/$inc to doc in place."""
    for op, fields in u.items():
        if op == "$set" or (op == "$setOnInsert" and inserting):
            for path, val in fields.items():
                set_path(doc, path, copy.deepcopy(val))
        elif op == "$setOnInsert":
            pass
        elif op == "$unset":
            for path in fields:
                unset_path(doc, path)
        elif op == "$inc":
            for path, val in fields.items():
                cur = get_path(doc, path)
                set_path(doc, path, val if cur is _MISSING else cur + val)
        else:
            raise WriteError(E_BAD_VALUE,
                             "mock_mongo: unsupported update operator " + op)


def with_id_first(doc, _id):
    out = OrderedDict([("_id", _id)])
    for k, v in doc.items():
        if k != "_id":
            out[k] = v
    return out


# --------------------------------------------------------------------------
# SCRAM (server side) so --require-auth accepts the right password and
# rejects a wrong one exactly like mongod (code 18, "Authentication failed.")
# --------------------------------------------------------------------------

class Scram:
    ITERATIONS = {"SCRAM-SHA-1": 10000, "SCRAM-SHA-256": 15000}

    def __init__(self, mechanism, user, password):
        self.mech = mechanism
        self.hash = hashlib.sha1 if mechanism == "SCRAM-SHA-1" else \
            hashlib.sha256
        if mechanism == "SCRAM-SHA-1":
            # MongoDB hashes the password first for SCRAM-SHA-1.
            password = hashlib.md5(
                ("%s:mongo:%s" % (user, password)).encode()).hexdigest()
        # (SCRAM-SHA-256 would need SASLprep; fine for ASCII passwords.)
        self.password = password.encode()
        # libmongoc insists on mongod's salt sizes: 16 bytes for SHA-1,
        # 28 bytes (digest size + 4) for SHA-256 ("invalid salt length").
        self.salt = os.urandom(16 if mechanism == "SCRAM-SHA-1" else 28)
        self.iterations = self.ITERATIONS[mechanism]

    def _hmac(self, key, msg):
        return hmac.new(key, msg, self.hash).digest()

    def start(self, payload):
        """client-first -> (server-first bytes, user name)"""
        text = payload.decode()
        # gs2 header "n,," then "n=user,r=nonce"
        gs2, _, bare = text.partition(",,")
        attrs = dict(a.split("=", 1) for a in bare.split(","))
        self.client_first_bare = bare
        self.nonce = attrs["r"] + base64.b64encode(os.urandom(18)).decode()
        self.server_first = "r=%s,s=%s,i=%d" % (
            self.nonce, base64.b64encode(self.salt).decode(), self.iterations)
        user = attrs["n"].replace("=2C", ",").replace("=3D", "=")
        return self.server_first.encode(), user

    def finish(self, payload):
        """client-final -> server-final bytes, or None if the proof is bad."""
        text = payload.decode()
        without_proof, _, proof_attr = text.rpartition(",p=")
        attrs = dict(a.split("=", 1) for a in without_proof.split(","))
        if attrs.get("r") != self.nonce:
            return None
        salted = hashlib.pbkdf2_hmac(self.hash().name, self.password,
                                     self.salt, self.iterations)
        client_key = self._hmac(salted, b"Client Key")
        stored_key = self.hash(client_key).digest()
        auth_msg = ",".join([self.client_first_bare, self.server_first,
                             without_proof]).encode()
        client_sig = self._hmac(stored_key, auth_msg)
        proof = base64.b64decode(proof_attr)
        recovered = bytes(a ^ b for a, b in zip(proof, client_sig))
        if len(proof) != len(client_sig) or \
                self.hash(recovered).digest() != stored_key:
            return None
        server_key = self._hmac(salted, b"Server Key")
        server_sig = self._hmac(server_key, auth_msg)
        return ("v=" + base64.b64encode(server_sig).decode()).encode()


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------

class MockMongo:
    def __init__(self, args):
        self.args = args
        self.lock = threading.RLock()
        self.collections = {}      # "db.coll" -> list of documents
        self.indexes = {}          # "db.coll" -> list of index specs
        self.write_cmd_count = 0   # insert/update/delete commands seen
        self.seq = 0
        self.connection_ids = 0
        self.store = open(args.store, "a", encoding="utf-8")
        self.fail_on = set(args.fail_on_write or ())
        self.auth_user = self.auth_pass = None
        if args.require_auth:
            self.auth_user, _, self.auth_pass = args.require_auth.partition(
                ":")
        # Per-connection state (keyed by the client socket object).
        self.conn_state = weakref.WeakKeyDictionary()

    # -- plumbing ----------------------------------------------------------

    def log(self, msg):
        if self.args.verbose:
            print("mock_mongo: " + msg, file=sys.stderr, flush=True)

    def state(self, request):
        sock = request._client  # mockupdb keeps the socket here
        st = self.conn_state.get(sock)
        if st is None:
            self.connection_ids += 1
            st = {"authenticated": False, "scram": None,
                  "conn_id": self.connection_ids}
            self.conn_state[sock] = st
        return st

    def record(self, **line):
        self.seq += 1
        out = OrderedDict([("seq", self.seq)])
        out.update(line)
        self.store.write(json_util.dumps(out,
                                         json_options=CANONICAL_JSON_OPTIONS))
        self.store.write("\n")
        self.store.flush()  # visible to the test before the reply is sent

    def handle(self, request):
        """mockupdb autoresponder: called for every request."""
        if self.handle_locked(request):
            # No reply now; a timer hangs up later. The handler returns at
            # once, since mockupdb serves every connection from one loop.
            timer = threading.Timer(self.args.stall_seconds, request.hangup)
            timer.daemon = True
            timer.start()
        return True

    def handle_locked(self, request):
        """Answers a request; returns True when its reply is to be stalled."""
        with self.lock:
            if not request.is_command:
                # Legacy OP_INSERT etc. are never used by libmongoc 1.23
                # against wire version >= 6; answer with a query failure.
                request.fail("mock_mongo: legacy opcode not supported")
                return False
            name = request.command_name
            self.log("%s %s %r" % (type(request).__name__, request.namespace,
                                  dict(request.doc)))
            try:
                reply = self.dispatch(request, name)
            except CommandError as e:
                self.log(" -> error %d %s" % (e.code, e.errmsg))
                request.command_err(code=e.code, errmsg=e.errmsg,
                                    codeName=e.code_name or "")
                return False
            except Exception as e:  # a bug here must not hang the client
                import traceback
                traceback.print_exc()
                request.command_err(code=E_INTERNAL,
                                    errmsg="mock_mongo internal error: %r" % e)
                return False
            if reply is None:   # connection was hung up on purpose
                return False
            if reply is STALL:
                return True
            self.log(" -> %r" % (dict(reply),))
            request.replies(reply)
            return False

    def dispatch(self, request, name):
        lname = name.lower()
        doc = request.doc
        db = request.namespace
        if db and db.endswith(".$cmd"):       # OP_QUERY namespace
            db = db[:-len(".$cmd")]

        if self.auth_user is not None and lname not in PRE_AUTH_COMMANDS \
                and not self.state(request)["authenticated"]:
            raise CommandError(E_UNAUTHORIZED,
                               "command %s requires authentication" % name,
                               "Unauthorized")

        handler = getattr(self, "cmd_" + lname, None)
        if handler is None:
            raise CommandError(E_COMMAND_NOT_FOUND,
                               "no such command: '%s'" % name,
                               "CommandNotFound")
        if lname in WRITE_COMMANDS:
            self.write_cmd_count += 1
            if self.write_cmd_count in self.fail_on:
                return self.inject_failure(request, handler, db, doc)
        return handler(request, db, doc)

    def inject_failure(self, request, handler, db, doc):
        mode = self.args.fail_mode
        n = self.write_cmd_count
        self.log("injecting %s failure on write command #%d" % (mode, n))
        if mode == "hangup":
            if self.args.fail_after_apply:
                handler(request, db, doc)  # applied + recorded, reply lost
            request.hangup()               # close without a reply
            return None
        if mode == "stall":
            handler(request, db, doc)      # applied + recorded, no reply yet
            return STALL
        if mode == "error":
            raise CommandError(self.args.fail_code,
                               "mock_mongo: injected failure on write "
                               "command #%d" % n, "InjectedFailure")
        # mode == "wcerror": apply, then report a writeConcernError
        reply = handler(request, db, doc)
        reply["writeConcernError"] = OrderedDict([
            ("code", E_WRITE_CONCERN_FAILED),
            ("codeName", "WriteConcernFailed"),
            ("errmsg", "mock_mongo: injected waiting for replication "
                       "timed out"),
            ("errInfo", {"wtimeout": True})])
        return reply

    # -- handshake & misc --------------------------------------------------

    def hello_reply(self, request, doc, legacy):
        st = self.state(request)
        reply = OrderedDict()
        if legacy:
            reply["ismaster"] = True
        else:
            reply["isWritablePrimary"] = True
        reply.update([
            ("helloOk", True),
            ("maxBsonObjectSize", 16 * 1024 * 1024),
            ("maxMessageSizeBytes", 48000000),
            ("maxWriteBatchSize", 100000),
            ("localTime", datetime.datetime.utcnow()),
            # Advertising sessions makes libmongoc send lsid + endSessions,
            # like against a real server. No setName / msg: "isdbgrid", so
            # the topology is Single/standalone and writes are NOT retried.
            ("logicalSessionTimeoutMinutes", 30),
            ("connectionId", st["conn_id"]),
            ("minWireVersion", 0),
            ("maxWireVersion", MAX_WIRE_VERSION),
            ("readOnly", False),
        ])
        mechs_for = doc.get("saslSupportedMechs")
        if mechs_for and self.auth_user is not None and \
                mechs_for == "admin." + self.auth_user:
            reply["saslSupportedMechs"] = ["SCRAM-SHA-1", "SCRAM-SHA-256"]
        # doc.get("speculativeAuthenticate") is ignored on purpose: a server
        # that does not answer it makes the driver run the normal
        # saslStart/saslContinue conversation.
        reply["ok"] = 1
        return reply

    def cmd_hello(self, request, db, doc):
        return self.hello_reply(request, doc, legacy=False)

    def cmd_ismaster(self, request, db, doc):   # isMaster and ismaster
        return self.hello_reply(request, doc, legacy=True)

    def cmd_buildinfo(self, request, db, doc):
        return OrderedDict([("version", SERVER_VERSION),
                            ("versionArray", [6, 0, 0, 0]),
                            ("maxBsonObjectSize", 16 * 1024 * 1024),
                            ("ok", 1)])

    def cmd_ping(self, request, db, doc):
        return {"ok": 1}

    def cmd_endsessions(self, request, db, doc):
        return {"ok": 1}

    def cmd_killcursors(self, request, db, doc):
        return OrderedDict([("cursorsKilled", []), ("cursorsNotFound",
                            doc.get("cursors", [])), ("ok", 1)])

    def cmd_getlasterror(self, request, db, doc):
        return OrderedDict([("err", None), ("n", 0), ("ok", 1)])

    # -- authentication ----------------------------------------------------

    def cmd_saslstart(self, request, db, doc):
        st = self.state(request)
        mech = doc.get("mechanism")
        if self.auth_user is None:
            # A server without users: every login fails.
            raise CommandError(E_AUTH_FAILED, "Authentication failed.",
                               "AuthenticationFailed")
        if mech not in Scram.ITERATIONS:
            raise CommandError(2, "Received authentication for mechanism %s"
                               " which is not enabled" % mech,
                               "MechanismUnavailable")
        scram = Scram(mech, self.auth_user, self.auth_pass)
        server_first, user = scram.start(bytes(doc["payload"]))
        if user != self.auth_user or self.args.auth_always_fail:
            raise CommandError(E_AUTH_FAILED, "Authentication failed.",
                               "AuthenticationFailed")
        st["scram"] = scram
        st["skip_empty"] = bool(
            (doc.get("options") or {}).get("skipEmptyExchange"))
        return OrderedDict([("conversationId", 1), ("done", False),
                            ("payload", bson.Binary(server_first)),
                            ("ok", 1)])

    def cmd_saslcontinue(self, request, db, doc):
        st = self.state(request)
        scram = st.get("scram")
        if scram is None:
            raise CommandError(E_AUTH_FAILED, "Authentication failed.",
                               "AuthenticationFailed")
        payload = bytes(doc.get("payload", b""))
        if st.get("server_final_sent"):    # client's empty last step
            st["scram"] = None
            return OrderedDict([("conversationId", 1), ("done", True),
                                ("payload", bson.Binary(b"")), ("ok", 1)])
        server_final = scram.finish(payload)
        if server_final is None:
            st["scram"] = None
            raise CommandError(E_AUTH_FAILED, "Authentication failed.",
                               "AuthenticationFailed")
        st["authenticated"] = True
        done = st["skip_empty"]
        if done:
            st["scram"] = None
        else:
            st["server_final_sent"] = True
        return OrderedDict([("conversationId", 1), ("done", done),
                            ("payload", bson.Binary(server_final)),
                            ("ok", 1)])

    # -- collections & indexes ---------------------------------------------

    def coll(self, db, name, create=False):
        ns = "%s.%s" % (db, name)
        if ns not in self.collections and create:
            self.collections[ns] = []
            self.indexes[ns] = [OrderedDict([("v", 2),
                                             ("key", {"_id": 1}),
                                             ("name", "_id_")])]
        return ns, self.collections.get(ns)

    def unique_indexes(self, ns):
        return [ix for ix in self.indexes.get(ns, [])
                if ix["name"] == "_id_" or ix.get("unique")]

    def check_unique(self, ns, docs, candidate, ignore=None):
        """Raise a duplicate-key WriteError if candidate clashes."""
        for ix in self.unique_indexes(ns):
            fields = list(ix["key"].keys())
            key = [get_path(candidate, f) for f in fields]
            key = [None if v is _MISSING else v for v in key]
            for other in docs:
                if other is ignore:
                    continue
                okey = [get_path(other, f) for f in fields]
                okey = [None if v is _MISSING else v for v in okey]
                if all(bson_equal(a, b) for a, b in zip(key, okey)):
                    kv = OrderedDict(zip(fields, key))
                    raise WriteError(
                        E_DUPLICATE_KEY,
                        "E11000 duplicate key error collection: %s index: %s"
                        " dup key: %s" % (ns, ix["name"],
                                          json_util.dumps(kv)),
                        keyPattern=ix["key"], keyValue=kv)

    def write_reply(self, n, write_errors, **extra):
        reply = OrderedDict([("n", n)])
        reply.update(extra)
        if write_errors:
            reply["writeErrors"] = write_errors
        reply["ok"] = 1
        return reply

    @staticmethod
    def write_error(index, err):
        e = OrderedDict([("index", index), ("code", err.code)])
        if err.code == E_DUPLICATE_KEY:
            e["codeName"] = "DuplicateKey"
        e.update(err.extra)
        e["errmsg"] = err.errmsg
        return e

    def cmd_insert(self, request, db, doc):
        ns, docs = self.coll(db, doc["insert"], create=True)
        ordered = doc.get("ordered", True)
        wc = doc.get("writeConcern")
        n, errors = 0, []
        for i, d in enumerate(doc.get("documents", [])):
            d = with_id_first(d, d["_id"] if "_id" in d else ObjectId())
            try:
                self.check_unique(ns, docs, d)
            except WriteError as e:
                errors.append(self.write_error(i, e))
                if ordered:
                    break
                continue
            docs.append(d)
            n += 1
            self.record(cmd_no=self.write_cmd_count, op="insert", db=db,
                        coll=doc["insert"], writeConcern=wc, ordered=ordered,
                        doc=d)
        return self.write_reply(n, errors)

    def cmd_update(self, request, db, doc):
        ns, docs = self.coll(db, doc["update"], create=True)
        ordered = doc.get("ordered", True)
        wc = doc.get("writeConcern")
        n = n_modified = 0
        errors, upserted = [], []
        for i, upd in enumerate(doc.get("updates", [])):
            try:
                res = self.one_update(ns, docs, upd)
            except WriteError as e:
                errors.append(self.write_error(i, e))
                if ordered:
                    break
                continue
            outcome, matched, modified, new_doc = res
            n += matched
            n_modified += modified
            if outcome == "upserted":
                n += 1
                upserted.append(OrderedDict([("index", i),
                                             ("_id", new_doc["_id"])]))
            self.record(cmd_no=self.write_cmd_count, op="update", db=db,
                        coll=doc["update"], writeConcern=wc, ordered=ordered,
                        q=upd.get("q"), u=upd.get("u"),
                        upsert=bool(upd.get("upsert")),
                        multi=bool(upd.get("multi")), outcome=outcome,
                        doc=new_doc)
        extra = OrderedDict([("nModified", n_modified)])
        if upserted:
            extra["upserted"] = upserted
        return self.write_reply(n, errors, **extra)

    def one_update(self, ns, docs, upd):
        q, u = upd.get("q", {}), upd.get("u")
        if isinstance(u, list):
            raise WriteError(E_BAD_VALUE,
                             "mock_mongo: pipeline updates not supported")
        operator = is_operator_update(u)
        targets = [d for d in docs if matches(d, q)]
        if not upd.get("multi"):
            targets = targets[:1]
        if not targets:
            if not upd.get("upsert"):
                return "nomatch", 0, 0, None
            if operator:
                new = OrderedDict()
                for k, v in q.items():   # equality fields seed the document
                    if not k.startswith("$") and not (
                            isinstance(v, dict) and any(
                                kk.startswith("$") for kk in v)):
                        set_path(new, k, copy.deepcopy(v))
                apply_update_ops(new, u, inserting=True)
            else:
                new = copy.deepcopy(u)
                if "_id" not in new and "_id" in q and \
                        not isinstance(q["_id"], dict):
                    new["_id"] = q["_id"]
            new = with_id_first(new, new["_id"] if "_id" in new
                                else ObjectId())
            self.check_unique(ns, docs, new)
            docs.append(new)
            return "upserted", 0, 0, new
        modified = 0
        last = None
        for old in targets:
            if operator:
                new = copy.deepcopy(old)
                apply_update_ops(new, u, inserting=False)
            else:
                if "_id" in u and not bson_equal(u["_id"], old["_id"]):
                    raise WriteError(
                        E_IMMUTABLE_FIELD,
                        "After applying the update, the (immutable) field "
                        "'_id' was found to have been altered")
                new = with_id_first(copy.deepcopy(u), old["_id"])
            if "_id" not in new or not bson_equal(new["_id"], old["_id"]):
                raise WriteError(E_IMMUTABLE_FIELD,
                                 "Performing an update on the path '_id' "
                                 "would modify the immutable field '_id'")
            self.check_unique(ns, docs, new, ignore=old)
            if not bson_equal(dict(new), dict(old)) or \
                    list(new) != list(old):
                docs[docs.index(old)] = new
                modified += 1
            last = new
        return ("modified" if modified else "unchanged",
                len(targets), modified, last)

    def cmd_delete(self, request, db, doc):
        ns, docs = self.coll(db, doc["delete"])
        wc = doc.get("writeConcern")
        n = 0
        for spec in doc.get("deletes", []):
            if docs is None:
                break
            victims = [d for d in docs if matches(d, spec.get("q", {}))]
            if spec.get("limit", 0) == 1:
                victims = victims[:1]
            for v in victims:
                docs.remove(v)
                n += 1
                self.record(cmd_no=self.write_cmd_count, op="delete", db=db,
                            coll=doc["delete"], writeConcern=wc,
                            ordered=doc.get("ordered", True),
                            q=spec.get("q"), doc=v)
        return self.write_reply(n, [])

    def cmd_createindexes(self, request, db, doc):
        name = doc["createIndexes"]
        existed = ("%s.%s" % (db, name)) in self.collections
        ns, docs = self.coll(db, name, create=True)
        ixs = self.indexes[ns]
        before = len(ixs)
        for spec in doc.get("indexes", []):
            if "key" not in spec or "name" not in spec:
                raise CommandError(E_BAD_VALUE,
                                   "index specification needs key and name",
                                   "BadValue")
            same_name = [ix for ix in ixs if ix["name"] == spec["name"]]
            same_key = [ix for ix in ixs
                        if bson_equal(dict(ix["key"]), dict(spec["key"]))]
            # mongod's checks, in its order and with its codes and words.
            if same_name:
                existing = same_name[0]
                if not bson_equal(dict(existing["key"]), dict(spec["key"])):
                    raise CommandError(
                        E_INDEX_KEY_SPECS_CONFLICT,
                        "An existing index has the same name as the "
                        "requested index. When index names are not "
                        "specified, they are auto generated and can cause "
                        "conflicts. Please refer to our documentation. "
                        "Requested index: %s, existing index: %s"
                        % (show_index(spec), show_index(existing)),
                        "IndexKeySpecsConflict")
                if index_options(existing) != index_options(spec):
                    raise CommandError(
                        E_INDEX_OPTIONS_CONFLICT,
                        "An equivalent index already exists with the same "
                        "name but different options. Requested index: %s, "
                        "existing index: %s"
                        % (show_index(spec), show_index(existing)),
                        "IndexOptionsConflict")
                continue                      # already exists: no-op
            if same_key:
                existing = same_key[0]
                if index_options(existing) == index_options(spec):
                    raise CommandError(
                        E_INDEX_OPTIONS_CONFLICT,
                        "Index already exists with a different name: %s"
                        % existing["name"], "IndexOptionsConflict")
                raise CommandError(
                    E_INDEX_OPTIONS_CONFLICT,
                    "An equivalent index already exists with a different "
                    "name and options. Requested index: %s, existing "
                    "index: %s" % (show_index(spec), show_index(existing)),
                    "IndexOptionsConflict")
            ix = OrderedDict([("v", 2)])
            ix.update(spec)
            if ix.get("unique"):
                seen = []
                for d in docs:
                    self.check_unique_against(ns, ix, seen, d)
                    seen.append(d)
            ixs.append(ix)
            self.record(cmd_no=None, op="createIndexes", db=db, coll=name,
                        writeConcern=doc.get("writeConcern"), index=ix)
        reply = OrderedDict([
            ("numIndexesBefore", before), ("numIndexesAfter", len(ixs)),
            ("createdCollectionAutomatically", not existed)])
        if before == len(ixs):
            reply["note"] = "all indexes already exist"
        reply["ok"] = 1
        return reply

    def check_unique_against(self, ns, ix, docs, candidate):
        fields = list(ix["key"].keys())
        key = [get_path(candidate, f) for f in fields]
        for other in docs:
            if all(bson_equal(a, get_path(other, f))
                   for a, f in zip(key, fields)):
                raise CommandError(E_DUPLICATE_KEY,
                                   "E11000 duplicate key error collection: "
                                   "%s index: %s" % (ns, ix["name"]),
                                   "DuplicateKey")

    def cursor_reply(self, ns, batch):
        return OrderedDict([
            ("cursor", OrderedDict([("firstBatch", batch),
                                    ("id", Int64(0)), ("ns", ns)])),
            ("ok", 1)])

    def cmd_listindexes(self, request, db, doc):
        ns, docs = self.coll(db, doc["listIndexes"])
        if docs is None:
            raise CommandError(E_NS_NOT_FOUND, "ns does not exist: " + ns,
                               "NamespaceNotFound")
        return self.cursor_reply(ns, [dict(ix) for ix in self.indexes[ns]])

    def cmd_listcollections(self, request, db, doc):
        names = [ns.split(".", 1)[1] for ns in self.collections
                 if ns.split(".", 1)[0] == db]
        batch = [OrderedDict([("name", n), ("type", "collection"),
                              ("options", {}), ("info", {"readOnly": False})])
                 for n in sorted(names)]
        flt = doc.get("filter") or {}
        batch = [b for b in batch if matches(b, flt)]
        return self.cursor_reply(db + ".$cmd.listCollections", batch)

    def cmd_dropindexes(self, request, db, doc):
        ns, docs = self.coll(db, doc["dropIndexes"])
        if docs is None:
            raise CommandError(E_NS_NOT_FOUND, "ns not found " + ns,
                               "NamespaceNotFound")
        ixs = self.indexes[ns]
        which = doc.get("index")
        if which == "*":
            victims = [ix for ix in ixs if ix["name"] != "_id_"]
        else:
            names = which if isinstance(which, list) else [which]
            victims = []
            for n in names:
                found = [ix for ix in ixs if (ix["name"] == n if isinstance(
                    n, str) else bson_equal(dict(ix["key"]), dict(n)))]
                if not found:
                    raise CommandError(E_INDEX_NOT_FOUND,
                                       "index not found with name [%s]" % n,
                                       "IndexNotFound")
                if found[0]["name"] == "_id_":
                    raise CommandError(E_INVALID_OPTIONS,
                                       "cannot drop _id index",
                                       "InvalidOptions")
                victims.extend(found)
        before = len(ixs)
        for ix in victims:
            ixs.remove(ix)
            self.record(cmd_no=None, op="dropIndexes", db=db,
                        coll=doc["dropIndexes"],
                        writeConcern=doc.get("writeConcern"), index=ix)
        return OrderedDict([("nIndexesWas", before), ("ok", 1)])

    def cmd_drop(self, request, db, doc):
        ns = "%s.%s" % (db, doc["drop"])
        if ns not in self.collections:
            raise CommandError(E_NS_NOT_FOUND, "ns not found",
                               "NamespaceNotFound")
        del self.collections[ns]
        del self.indexes[ns]
        return OrderedDict([("nIndexesWas", 1), ("ns", ns), ("ok", 1)])

    def cmd_dropdatabase(self, request, db, doc):
        for ns in [ns for ns in self.collections
                   if ns.split(".", 1)[0] == db]:
            del self.collections[ns]
            del self.indexes[ns]
        return OrderedDict([("dropped", db), ("ok", 1)])

    # -- reads -------------------------------------------------------------

    def cmd_find(self, request, db, doc):
        ns, docs = self.coll(db, doc["find"])
        result = [d for d in (docs or []) if matches(d, doc.get("filter"))]
        for key, direction in reversed(list((doc.get("sort") or {}).items())):
            result.sort(key=lambda d: (get_path(d, key) is _MISSING,
                                       get_path(d, key)
                                       if get_path(d, key) is not _MISSING
                                       else 0),
                        reverse=direction < 0)
        skip = doc.get("skip") or 0
        limit = abs(doc.get("limit") or 0)
        result = result[skip:skip + limit if limit else None]
        return self.cursor_reply(ns, result)

    def cmd_count(self, request, db, doc):
        ns, docs = self.coll(db, doc["count"])
        n = len([d for d in (docs or []) if matches(d, doc.get("query"))])
        n = max(0, n - (doc.get("skip") or 0))
        if doc.get("limit"):
            n = min(n, abs(doc["limit"]))
        return OrderedDict([("n", n), ("ok", 1)])

    def cmd_aggregate(self, request, db, doc):
        ns, docs = self.coll(db, doc["aggregate"])
        rows = list(docs or [])
        for stage in doc.get("pipeline", []):
            (op, arg), = stage.items()
            if op == "$match":
                rows = [d for d in rows if matches(d, arg)]
            elif op == "$skip":
                rows = rows[arg:]
            elif op == "$limit":
                rows = rows[:arg]
            elif op == "$count":
                rows = [OrderedDict([(arg, len(rows))])] if rows else []
            elif op == "$group" and not (isinstance(arg["_id"], str) and
                                         arg["_id"].startswith("$")):
                out = OrderedDict([("_id", arg["_id"])])
                for field, acc in arg.items():
                    if field == "_id":
                        continue
                    (aop, aarg), = acc.items()
                    if aop != "$sum" or not isinstance(aarg, int):
                        raise CommandError(E_BAD_VALUE, "mock_mongo: only "
                                           "{$sum: <int>} is supported",
                                           "BadValue")
                    out[field] = aarg * len(rows)
                rows = [out] if rows else []
            else:
                raise CommandError(E_BAD_VALUE, "mock_mongo: unsupported "
                                   "aggregation stage " + op, "BadValue")
        return self.cursor_reply(ns, rows)


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="In-memory MongoDB wire-protocol test server "
                    "(mockupdb based).")
    p.add_argument("--port-file", required=True,
                   help="write the listening port here once ready "
                        "(written atomically via rename)")
    p.add_argument("--store", required=True,
                   help="append accepted writes here as canonical "
                        "extended JSON lines")
    p.add_argument("--port", type=int, default=0,
                   help="port to listen on (default: pick a free one)")
    p.add_argument("--fail-on-write", type=lambda s: [int(x) for x in
                                                      s.split(",")],
                   metavar="N[,M...]",
                   help="inject a failure into the Nth insert/update/delete "
                        "command (1-based; createIndexes is not counted)")
    p.add_argument("--stall-seconds", type=float, default=5.0,
                   help="with --fail-mode stall: how long the reply is held "
                        "before the connection is closed (default 5)")
    p.add_argument("--fail-mode", choices=("hangup", "error", "wcerror", "stall"),
                   default="hangup",
                   help="hangup: close the connection without replying "
                        "(default); error: {ok: 0, code: --fail-code}; "
                        "wcerror: apply, then reply with writeConcernError "
                        "code 64; stall: apply, then hold the reply for "
                        "--stall-seconds and hang up (a client killed "
                        "meanwhile never saw it acknowledged)")
    p.add_argument("--fail-code", type=int, default=8,
                   help="server error code for --fail-mode error "
                        "(default 8, UnknownError)")
    p.add_argument("--fail-after-apply", action="store_true",
                   help="with --fail-mode hangup: apply (and record) the "
                        "write before hanging up, i.e. the reply is lost")
    p.add_argument("--require-auth", metavar="USER:PASS",
                   help="require SCRAM-SHA-256/SCRAM-SHA-1 login (user "
                        "database admin); wrong credentials get code 18 "
                        "AuthenticationFailed, commands before login code 13")
    p.add_argument("--auth-always-fail", action="store_true",
                   help="with --require-auth: reject every saslStart with "
                        "code 18")
    p.add_argument("--verbose", action="store_true",
                   help="log commands and replies to stderr")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    mock = MockMongo(args)

    server = mockupdb.MockupDB(request_timeout=int(1e6))
    # MockupDB hard-codes 'localhost'; bind explicitly to IPv4 loopback.
    server._address = ("127.0.0.1", args.port or None)
    server.autoresponds(mock.handle)   # a function matches every request
    port = server.run()

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, args.port_file)
    mock.log("listening on 127.0.0.1:%d" % port)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    while not stop.wait(0.2):
        pass

    mock.log("shutting down")
    server.stop()
    mock.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
