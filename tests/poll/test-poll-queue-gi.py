#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The poll job queue as an integrator scripts it through GObject
# Introspection: add and authorise a polling service, register one that an
# administrator must authorise, queue a manual read, claim it, report
# progress and finish it, and read the status. Rows are checked through
# psql, a program that is not ours; expected values are worked out by hand
# in the comments.
import hashlib
import subprocess

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def expect_error(code, fn, *args):
    try:
        fn(*args)
    except GLib.Error as e:
        assert e.matches(Lers.error_quark(), code), e
        return e
    raise AssertionError("expected error %s" % code)


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        psql(uri, "INSERT INTO connections (id, kind, host, port)"
                  " VALUES (1, 0, '192.0.2.10', 4001);"
                  "INSERT INTO devices (id, protocol, connection_id) VALUES (1, 'mbus', 1);"
                  "INSERT INTO measure_points (id, title, device_id)"
                  " VALUES (1, 'Отопление', 1), (2, 'ГВС', 1)")
        queue = Lers.PollQueue.new(store)
        queue.set_retry_delay(5, 60)

        # an administrator adds a service and hands its token over
        service, token = queue.add_service_sync("poller-2", None)
        assert service.get_authorised()
        assert len(token) == 43, token
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert psql(uri, "SELECT encode(token_hash, 'hex') FROM poll_services") == digest

        # the service starts with it on its host
        me = queue.register_service_sync("poller-2", token, "srv2", "0.4.0", 8, False, None)
        assert me.get_id() == service.get_id()
        assert me.get_host() == "srv2"
        assert me.get_max_links() == 8

        # an unknown service registers, but may not claim until authorised
        other = queue.register_service_sync("poller-3", "its-token", "srv3", "0.4.0", 4,
                                            False, None)
        assert not other.get_authorised()
        expect_error(Lers.Error.PERMISSION_DENIED, queue.claim_sync, other.get_id(),
                     "its-token", 4, 60, None)
        assert queue.authorise_service_sync("poller-3", True, None)

        # a manual read of both points' hour and day archives: 2 × 2 jobs
        jobs = queue.enqueue_sync([1, 2], [Lers.ArchiveKind.HOUR, Lers.ArchiveKind.DAY],
                                  None, None, Lers.PollPriority.MANUAL, "script", None)
        assert [(j.get_point_id(), j.get_kind()) for j in jobs] == [
            (1, Lers.ArchiveKind.HOUR), (1, Lers.ArchiveKind.DAY),
            (2, Lers.ArchiveKind.HOUR), (2, Lers.ArchiveKind.DAY)]
        assert all(j.get_state() == Lers.PollJobState.QUEUED for j in jobs)
        e = expect_error(Lers.Error.NOT_FOUND, queue.enqueue_sync, [77],
                         [Lers.ArchiveKind.HOUR], None, None, Lers.PollPriority.MANUAL,
                         None, None)
        assert "77" in e.message

        # the first service claims the link: all four jobs, one link
        claimed = queue.claim_sync(me.get_id(), token, 2, 60, None)
        assert sorted(j.get_id() for j in claimed) == sorted(j.get_id() for j in jobs)
        assert all(j.get_state() == Lers.PollJobState.RUNNING for j in claimed)
        assert all(j.get_attempts() == 1 for j in claimed)
        assert len(queue.claim_sync(other.get_id(), "its-token", 4, 60, None)) == 0

        status = queue.get_status_sync(60, None).unpack()
        # both services heard from now; 8 + 4 ports, one of them busy
        assert status["services_running"] == 2, status
        assert status["ports_total"] == 12, status
        assert status["ports_busy"] == 1, status
        assert status["jobs_running"] == 4, status

        first, second, third, fourth = claimed
        assert queue.set_progress_sync(first.get_id(), 0.25, "Чтение", None)
        # a success: finish_job_sync() with no failure, which Python cannot pass
        assert queue.complete_job_sync(me.get_id(), first.get_id(), 24, "24 records\n", None)
        timeout = GLib.Error.new_literal(Lers.error_quark(), "No answer in 5 s",
                                         Lers.Error.TIMED_OUT)
        assert queue.finish_job_sync(me.get_id(), second.get_id(), 0, timeout, None,
                                     None) == Lers.PollJobState.QUEUED
        assert queue.cancel_job_sync(third.get_id(), None)
        assert queue.complete_job_sync(me.get_id(), fourth.get_id(), 1, None, None)
        e = expect_error(Lers.Error.NOT_FOUND, queue.complete_job_sync, me.get_id(),
                         fourth.get_id(), 1, None, None)
        assert queue.release_link_sync(me.get_id(), 1, None, None)

        # 2 done, 1 queued again for 5 s (the retry delay's base), 1 running
        # with a cancel requested; one done counted twice on the service
        assert psql(uri, "SELECT string_agg(state::text, ',' ORDER BY id) FROM poll_jobs") == \
            "2,0,1,2"
        assert psql(uri, "SELECT round(extract(epoch FROM due_at - now())) FROM poll_jobs"
                         " WHERE state = 0") == "5"
        assert psql(uri, "SELECT cancel_requested FROM poll_jobs WHERE id = %d"
                    % third.get_id()) == "t"
        assert psql(uri, "SELECT jobs_done FROM poll_services WHERE name = 'poller-2'") == "2"
        got = queue.get_job_sync(second.get_id(), None)
        assert got.get_error_code() == "timed-out"
        assert "No answer in 5 s" in got.get_log()
        assert queue.get_job_sync(first.get_id(), None).get_records() == 24

        page = queue.list_jobs_sync(0, int(Lers.PollJobState.DONE), 0, 10, None)
        assert [j.get_id() for j in page] == [fourth.get_id(), first.get_id()]

        links = queue.list_links_sync(None).unpack()
        assert len(links) == 1
        assert links[0]["address"] == "192.0.2.10:4001"
        assert links[0]["state"] == "free"
        assert links[0]["queued"] == 1

        services = queue.list_services_sync(None)
        assert [s.get_name() for s in services] == ["poller-2", "poller-3"]
        assert queue.stop_service_sync(me.get_id(), token, None)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
