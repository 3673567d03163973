#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# LersAccounts as scripts see it, through GObject Introspection: add users,
# log in, list users through the generic store with a LersStoreQuery filter.
# Rows are checked with psql, a program that is not ours.
import subprocess
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, GObject, Lers  # noqa: E402


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        accounts = Lers.Accounts.new(store)

        admin = accounts.add_user_sync("chief", Lers.UserRole.ADMIN, "chief-password", None)
        assert admin.props.id > 0
        accounts.add_user_sync("abonent1", Lers.UserRole.SUBSCRIBER, "abonent-pass", None)
        accounts.add_user_sync("abonent2", Lers.UserRole.SUBSCRIBER, None, None)
        # role 3 is subscriber (the migration's comment)
        assert psql(uri, "SELECT count(*) FROM users WHERE role = 3") == "2"
        assert psql(uri, "SELECT password_hash FROM users WHERE login = 'abonent1'") \
            .startswith("$argon2id$")

        user, retry = accounts.login_sync("ABONENT1", "abonent-pass", "127.0.0.1", None)
        assert user.props.login == "abonent1", user.props.login
        assert user.props.role == Lers.UserRole.SUBSCRIBER
        assert retry == 0
        try:
            accounts.login_sync("abonent1", "wrong-pass", "127.0.0.1", None)
            raise AssertionError("a wrong password logged in")
        except GLib.Error as e:
            assert e.matches(Lers.error_quark(), Lers.Error.PERMISSION_DENIED), e

        query = Lers.StoreQuery.new()
        value = GObject.Value(Lers.UserRole, Lers.UserRole.SUBSCRIBER)
        query.add_filter("role", Lers.StoreOp.EQ, value)
        query.add_order("login", False)
        users = store.list_sync(Lers.User, query, None)
        assert [u.props.login for u in users] == ["abonent1", "abonent2"], \
            [u.props.login for u in users]
        assert users[0].props.last_login is not None
        assert users[1].props.last_login is None
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
