#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The REST API v1 of ЛЭРС УЧЁТ as lersd serves it, driven by a client written
# from the vendor's published shapes (lersapi_client.py): log in, nodes,
# points, equipment, hourly consumption of a day whose values were inserted
# by SQL (compared value by value), totals, writing with PUT (read back by
# SQL through psql), a subscriber who sees only their node, no token → 401.
#
# Usage: test-compat.py LERSD
import datetime
import os
import re
import struct
import subprocess
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import Lers  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lersapi_client import LersApiClient, LersException, check  # noqa: E402

# LersParameter numbers as the archive stores them (liblers/model/
# lers-parameter.h): T_in 1, T_out 2, M_in 7, M_out 8, Q_in 15
T_IN, T_OUT, M_IN, M_OUT, Q_IN = 1, 2, 7, 8, 15
# LersArchiveKind: hour 1, day 2, totals 4
HOUR, DAY, TOTALS = 1, 2, 4

VLAD = datetime.timezone(datetime.timedelta(hours=10))  # Asia/Vladivostok, no DST


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def packed(values):
    """The archive's data column: 10-byte entries (parameter u8, flags u8,
    binary64 little-endian), as migration 0001 describes it."""
    data = b"".join(struct.pack("<BBd", p, f, v) for p, f, v in values)
    return "'\\x%s'::bytea" % data.hex()


def hour_values(h):
    # T_in 70.5 + h °C, T_out 40.25 + h/4 °C, M_in 1.5·(h+1) t, Q_in 0.125·(h+1) Gcal;
    # hour 5's T_out is flagged bad (1)
    return [(T_IN, 0, 70.5 + h), (T_OUT, 1 if h == 5 else 0, 40.25 + h / 4),
            (M_IN, 0, 1.5 * (h + 1)), (Q_IN, 0, 0.125 * (h + 1))]


def expect_status(status, fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except LersException as e:
        assert e.status == status, (e.status, e.text)
        return e
    raise AssertionError("expected HTTP %d" % status)


def seed(uri):
    psql(uri, """
      INSERT INTO territories (id, title, timezone) VALUES (1, 'Приморье', 'Asia/Vladivostok');
      INSERT INTO devices (id, protocol, model, serial_number, network_address, password,
                           calibration_date, calibration_interval)
        VALUES (1, 'mbus', 'ТВ7', '12345678', '5', 'secret',
                '2025-06-01 00:00:00+10', 48);
      INSERT INTO nodes (id, territory_id, title, address, number, node_type, latitude, longitude)
        VALUES (1, 1, 'Котельная №3', 'ул. Светланская, 1', '17', 0, 43.115, 131.885),
               (2, NULL, 'Школа', 'ул. Школьная, 2', 'Ш-2', 1, 0, 0);
      INSERT INTO measure_points (id, node_id, title, resource, device_id)
        VALUES (1, 1, 'Отопление', 0, 1), (2, 2, 'ХВС', 2, NULL);
      SELECT setval(pg_get_serial_sequence('nodes', 'id'), 10);
      SELECT setval(pg_get_serial_sequence('measure_points', 'id'), 10);
      SELECT setval(pg_get_serial_sequence('devices', 'id'), 10);
      SELECT setval(pg_get_serial_sequence('territories', 'id'), 10);
      SELECT lers_archive_ensure_partition('2026-11-22 14:00:00+00');
    """)
    rows = []
    for h in range(24):
        # 2026-11-23 h:00 in Vladivostok is 2026-11-22 (h+14):00 UTC
        ts = datetime.datetime(2026, 11, 23, h, tzinfo=VLAD)
        rows.append("(1, %d, 0, '%s', %s)" % (HOUR, ts.isoformat(), packed(hour_values(h))))
    # one hour of the next day, outside the range read below
    rows.append("(1, %d, 0, '%s', %s)" % (
        HOUR, datetime.datetime(2026, 11, 24, 0, tzinfo=VLAD).isoformat(),
        packed(hour_values(24))))
    # totals at the start of 2026-11-23 and 2026-11-24: M_in 1000.5 and 1036.75 t
    rows.append("(1, %d, 0, '2026-11-23T00:00:00+10:00', %s)" % (
        TOTALS, packed([(M_IN, 0, 1000.5), (Q_IN, 0, 250.25)])))
    rows.append("(1, %d, 0, '2026-11-24T00:00:00+10:00', %s)" % (
        TOTALS, packed([(M_IN, 0, 1036.75), (Q_IN, 0, 253.375)])))
    psql(uri, "INSERT INTO archive (point_id, kind, channel, ts, data) VALUES %s" % ",".join(rows))


def start_lersd(lersd, uri):
    proc = subprocess.Popen([lersd, "--db=" + uri, "--listen=127.0.0.1:0", "--role=api"],
                            stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
    for line in proc.stdout:
        m = re.search(r"(http://127\.0\.0\.1:\d+/)api/v1/", line)
        if m:
            return proc, m.group(1)
    raise AssertionError("lersd did not print its URL (exit %s)" % proc.wait())


def test_anonymous(base):
    api = LersApiClient(base)
    # ServerInfo is public, as in theirs (no 401 in their client)
    info = api.get_server_info()
    assert info["version"] == "0.6.0", info
    assert info["build"] == 600, info
    assert info["fullVersion"] == "lersd 0.6.0", info
    server_time = datetime.datetime.fromisoformat(info["serverTime"].replace("Z", "+00:00"))
    now = datetime.datetime.now(datetime.timezone.utc)
    assert abs((server_time - now).total_seconds()) < 300, info

    # no token: 401 everywhere else
    for fn, args in ((api.get_nodes, ()), (api.get_measure_points, ()),
                     (api.get_consumption, (1, datetime.datetime(2026, 11, 23),
                                            datetime.datetime(2026, 11, 23, 23), ["Hour"])),
                     (api.get_incidents, ()), (api.get_equipment_list, ())):
        expect_status(401, fn, *args)
    api.token = "not-a-token"
    expect_status(401, api.get_nodes)

    # wrong password: 401 in their error shape (ResponseParameters)
    api.token = None
    e = expect_status(401, api.login_plain, "operator", "wrong password", "test")
    check("ResponseParameters", e.result)
    assert e.result["errorCode"] == 401 and e.result["errorMessage"], e.result
    e = expect_status(400, api.login_plain, "", None, "test")
    check("ResponseParameters", e.result)


def test_core(api):
    nodes = api.get_nodes()
    assert [n["id"] for n in nodes["nodes"]] == [1, 2], nodes
    n1 = nodes["nodes"][0]
    assert n1["title"] == "Котельная №3" and n1["address"] == "ул. Светланская, 1", n1
    assert n1["number"] == 17 and n1["type"] == "Node" and n1["territoryId"] == 1, n1
    assert n1["geoLocation"] == {"latitude": 43.115, "longitude": 131.885}, n1
    n2 = nodes["nodes"][1]
    # "Ш-2" is not a number: theirs is an int, so it is left out
    assert "number" not in n2 and n2["type"] == "House" and n2["geoLocation"] is None, n2
    assert "measurePoints" not in nodes, nodes
    assert api.get_nodes(node_type="House")["nodes"] == [n2]
    with_points = api.get_nodes(get_measure_points=True)
    assert [p["id"] for p in with_points["measurePoints"]] == [1, 2], with_points
    assert api.get_node(1) == n1
    expect_status(404, api.get_node, 99)

    points = api.get_node_measure_points(1, get_equipment=True)
    assert len(points["measurePoints"]) == 1, points
    p1 = points["measurePoints"][0]
    assert p1 == {"id": 1, "title": "Отопление", "fullTitle": "Котельная №3, Отопление",
                  "parentTitle": "Котельная №3", "address": "ул. Светланская, 1",
                  "type": "Regular", "systemType": "Heat", "resourceKind": "Water",
                  "nodeId": 1, "deviceId": 1, "reportingHour": 0, "reportingDay": 1,
                  "state": "None", "isVirtual": False}, p1
    (eq,) = points["equipment"]
    # calibrated 2025-06-01 (Vladivostok) = 2025-05-31T14:00Z; next in 48 months
    assert eq == {"id": 1, "equipmentModelId": 1, "serialNumber": "12345678",
                  "networkAddress": "5", "lastCalibrationDate": "2025-05-31T14:00:00Z",
                  "scheduledCalibrationDate": "2029-05-31T14:00:00Z", "isShared": False}, eq
    assert points["equipmentModels"] == [{"id": 1, "title": "ТВ7", "isSystem": True}], points
    assert "password" not in eq

    all_points = api.get_measure_points()
    assert [(p["id"], p["systemType"]) for p in all_points["measurePoints"]] == \
        [(1, "Heat"), (2, "ColdWater")], all_points
    assert all_points["measurePoints"][1]["deviceId"] is None
    assert api.get_measure_points(type="Communal")["measurePoints"] == []
    e = expect_status(400, api.get_measure_points, type="Apartment")
    check("ResponseParameters", e.result)

    one = api.get_measure_point(1, get_device=True)
    assert one["measurePoint"] == p1 and one["node"] == n1, one
    assert one["counter"]["serialNumber"] == "12345678", one
    expect_status(404, api.get_measure_point, 99)

    eqs = api.get_equipment_list()
    assert [e["id"] for e in eqs["list"]] == [1] and eqs["modelList"][0]["title"] == "ТВ7", eqs
    assert api.get_equipment_list([1])["list"] == eqs["list"]
    assert api.get_equipment_list([5])["list"] == []
    got = api.get_equipment(1)
    assert got["equipment"]["serialNumber"] == "12345678", got
    assert [p["id"] for p in got["measurePoints"]] == [1], got
    assert [n["id"] for n in got["nodes"]] == [1], got
    expect_status(404, api.get_equipment, 99)

    assert api.get_incidents() == []


def test_consumption(api):
    day = api.get_consumption(1, datetime.datetime(2026, 11, 23, 0),
                              datetime.datetime(2026, 11, 23, 23), ["Hour"])
    assert set(day) == {"hourConsumption", "dataParametersUnit"}, day.keys()
    records = day["hourConsumption"]
    assert len(records) == 24, len(records)
    for h, record in enumerate(records):
        assert record["dateTime"] == "2026-11-23T%02d:00:00+10:00" % h, record
        assert record["resourceKind"] == "Water" and record["isEmpty"] is False, record
        assert record["attributes"] == []
        got = {v["dataParameter"]: (v["value"], v["isBad"]) for v in record["values"]}
        # the numbers written by SQL above, by hand: hour 7 is T_in 77.5,
        # T_out 42, M_in 12, Q_in 1
        want = {"T_in": (70.5 + h, False), "T_out": (40.25 + h / 4, h == 5),
                "M_in": (1.5 * (h + 1), False), "Q_in": (0.125 * (h + 1), False)}
        assert got == want, (h, got, want)
        for v in record["values"]:
            assert set(v) == {"dataParameter", "value", "isBad", "isCalc", "isInterpolated",
                              "isReset"}, v
    assert records[7]["values"][0] == {"dataParameter": "T_in", "value": 77.5, "isBad": False,
                                       "isCalc": False, "isInterpolated": False,
                                       "isReset": False}
    units = {u["dataParameterCategory"]: u["unit"] for u in day["dataParametersUnit"]}
    assert units == {"Temperature": "CelsiusDegree", "Mass": "Ton", "Heat": "GigaCalorie"}, units

    # the end is included: 00:00 to 00:00 of the next day is 25 hours
    assert len(api.get_consumption(1, datetime.datetime(2026, 11, 23, 0),
                                   datetime.datetime(2026, 11, 24, 0),
                                   ["Hour"])["hourConsumption"]) == 25
    # no day records stored: an empty list
    assert api.get_consumption(1, datetime.datetime(2026, 11, 1), datetime.datetime(2026, 11, 30),
                               ["Day"]) == {"dayConsumption": [], "dataParametersUnit": []}

    last = api.get_last_consumption(1)
    assert last["dataType"] == "Hour" and last["dateTime"] == "2026-11-24T00:00:00+10:00", last
    assert {v["dataParameter"]: v["value"] for v in last["values"]} == \
        {"T_in": 94.5, "T_out": 46.25, "M_in": 37.5, "Q_in": 3.125}, last
    e = expect_status(404, api.get_last_consumption, 2)
    check("ResponseParameters", e.result)

    totals = api.get_totals(1, datetime.datetime(2026, 11, 23), datetime.datetime(2026, 11, 24))
    assert [(t["dateTime"], {v["dataParameter"]: v["value"] for v in t["values"]})
            for t in totals["totals"]] == [
        ("2026-11-23T00:00:00+10:00", {"M_in": 1000.5, "Q_in": 250.25}),
        ("2026-11-24T00:00:00+10:00", {"M_in": 1036.75, "Q_in": 253.375})], totals
    last_totals = api.get_last_totals(1)
    assert last_totals["dateTime"] == "2026-11-24T00:00:00+10:00", last_totals
    assert {v["dataParameter"]: v["value"] for v in last_totals["values"]} == \
        {"M_in": 1036.75, "Q_in": 253.375}, last_totals

    # bad periods and types: 400 in their shape
    for args in ((1, datetime.datetime(2026, 11, 24), datetime.datetime(2026, 11, 23), ["Hour"]),
                 (1, datetime.datetime(2026, 11, 23), datetime.datetime(2026, 11, 24), ["Week"])):
        e = expect_status(400, api.get_consumption, *args)
        check("ResponseParameters", e.result)
    api_path = "/api/v1/Data/MeasurePoints/1/Consumption/yesterday/today"
    e = expect_status(400, api._send, "GET", api_path)
    assert "yesterday" in e.result["errorMessage"], e.result


def test_save(api, uri):
    # a day record of 2026-11-25 (Vladivostok) = 2026-11-24T14:00Z
    record = {"resourceKind": "Water", "isEmpty": False, "dateTime": "2026-11-25T00:00:00+10:00",
              "attributes": [],
              "values": [{"dataParameter": "T_in", "value": 65.25, "isBad": False,
                          "isCalc": False, "isInterpolated": False, "isReset": False},
                         {"dataParameter": "M_in", "value": 30.5, "isBad": True,
                          "isCalc": False, "isInterpolated": False, "isReset": False}]}
    totals = {"dateTime": "2026-11-25T00:00:00", "values": [
        {"dataParameter": "M_in", "value": 1070.125}]}
    result = api.save_data(1, {"dataType": "Day", "consumption": [record]}, [totals])
    assert result == {"written": 2, "skipped": 0}, result

    def stored(kind):
        return psql(uri, "SELECT param, flags, value FROM archive_values WHERE point_id = 1 "
                         "AND kind = %d AND ts = '2026-11-24 14:00:00+00' ORDER BY param" % kind)
    # psql prints param|flags|value: T_in (1) 65.25, M_in (7) 30.5 flagged bad (1)
    assert stored(DAY) == "1|0|65.25\n7|1|30.5", stored(DAY)
    # the totals' time has no offset: the point's wall clock (+10:00)
    assert stored(TOTALS) == "7|0|1070.125", stored(TOTALS)
    assert psql(uri, "SELECT count(*) FROM audit_log WHERE action = 'archive-write' "
                     "AND entity = 'measure-point' AND entity_id = 1") == "1"

    # again with another value: kept unless overwriteExisting
    record["values"][0]["value"] = 66.0
    result = api.save_data(1, {"dataType": "Day", "consumption": [record]})
    assert result == {"written": 0, "skipped": 1}, result
    assert stored(DAY) == "1|0|65.25\n7|1|30.5"
    result = api.save_data(1, {"dataType": "Day", "consumption": [record]},
                           overwrite_existing=True)
    assert result == {"written": 1, "skipped": 0}, result
    assert stored(DAY) == "1|0|66\n7|1|30.5", stored(DAY)

    # and read back through their API
    back = api.get_consumption(1, datetime.datetime(2026, 11, 25), datetime.datetime(2026, 11, 25),
                               ["Day"])
    assert [(r["dateTime"], [(v["dataParameter"], v["value"], v["isBad"]) for v in r["values"]])
            for r in back["dayConsumption"]] == [
        ("2026-11-25T00:00:00+10:00", [("T_in", 66, False), ("M_in", 30.5, True)])], back

    # bad records: 400 naming the problem, nothing written
    before = psql(uri, "SELECT count(*) FROM archive")
    bad = dict(record, values=[{"dataParameter": "Lightness", "value": 1}])
    e = expect_status(400, api.save_data, 1, {"dataType": "Day", "consumption": [bad]})
    assert "Lightness" in e.result["errorMessage"], e.result
    e = expect_status(400, api.save_data, 1, {"dataType": "Week", "consumption": [record]})
    check("ResponseParameters", e.result)
    bad = dict(record, dateTime="tomorrow")
    e = expect_status(400, api.save_data, 1, {"dataType": "Hour", "consumption": [bad]})
    assert psql(uri, "SELECT count(*) FROM archive") == before
    expect_status(404, api.save_data, 99, {"dataType": "Day", "consumption": [record]})


def test_subscriber(base, uri):
    api = LersApiClient(base)
    api.login_plain("abonent", "abonent-password", "test")
    nodes = api.get_nodes(get_measure_points=True)
    assert [n["id"] for n in nodes["nodes"]] == [2], nodes
    assert [p["id"] for p in nodes["measurePoints"]] == [2], nodes
    assert [p["id"] for p in api.get_measure_points()["measurePoints"]] == [2]
    assert api.get_equipment_list()["list"] == []
    # another node's objects are as absent as missing ones
    for fn, args in ((api.get_node, (1,)), (api.get_measure_point, (1,)),
                     (api.get_node_measure_points, (1,)), (api.get_equipment, (1,)),
                     (api.get_last_consumption, (1,)),
                     (api.get_consumption, (1, datetime.datetime(2026, 11, 23),
                                            datetime.datetime(2026, 11, 23, 23), ["Hour"]))):
        e = expect_status(404, fn, *args)
        check("ResponseParameters", e.result)
    # read-only
    expect_status(403, api.save_data, 2, {"dataType": "Day", "consumption": []})


def main():
    lersd = sys.argv[1]
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    proc = None
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)  # migrates
        seed(uri)
        accounts = Lers.Accounts.new(store)
        accounts.add_user_sync("operator", Lers.UserRole.OPERATOR, "operator-password", None)
        abonent = accounts.add_user_sync("abonent", Lers.UserRole.SUBSCRIBER, "abonent-password",
                                         None)
        accounts.add_scope_sync(abonent.props.id, Lers.ScopeKind.NODE, 2, None)

        proc, base = start_lersd(lersd, uri)
        test_anonymous(base)
        api = LersApiClient(base)
        login = api.login_plain("operator", "operator-password", "Утилита импорта")
        expires = datetime.datetime.fromisoformat(login["tokenExpiration"].replace("Z", "+00:00"))
        hours = (expires - datetime.datetime.now(datetime.timezone.utc)).total_seconds() / 3600
        assert 23.9 < hours <= 24, login
        assert len(login["token"]) == 43, login
        # the token is a LERS API token, titled after the application
        assert psql(uri, "SELECT kind, title FROM user_sessions ORDER BY id DESC LIMIT 1") == \
            "1|ЛЭРС API v1 login: Утилита импорта"
        # and its making is in the audit log, as every token's is
        assert psql(uri, "SELECT a.login, a.action, a.entity, a.entity_id = s.id "
                         "FROM audit_log a, user_sessions s WHERE a.action = 'token-create' "
                         "ORDER BY a.id DESC, s.id DESC LIMIT 1") == \
            "operator|token-create|session|t"
        test_core(api)
        test_consumption(api)
        test_save(api, uri)
        test_subscriber(base, uri)
        print("ok")
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        cluster.stop()


if __name__ == "__main__":
    main()
