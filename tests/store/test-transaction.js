#!/usr/bin/env gjs
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Transactions and the generic store calls from GJS: one unit of work that
// commits three objects, one that rolls back, checked with psql (a program
// that is not ours).

imports.gi.versions.Lers = '1.0';
const {GLib, Lers} = imports.gi;

function psql(uri, sql) {
    const [ok, out, err, status] = GLib.spawn_sync(null,
        ['psql', '-XAtq', '-d', uri, '-c', sql], null, GLib.SpawnFlags.SEARCH_PATH, null);
    if (!ok || status !== 0)
        throw new Error(`psql failed: ${new TextDecoder().decode(err)}`);
    return new TextDecoder().decode(out).trim();
}

function assertEq(got, want, what) {
    if (got !== want)
        throw new Error(`${what}: got ${got}, want ${want}`);
}

function nodeTitled(title) {
    const node = Lers.Node.new();
    node.title = title;
    return node;
}

function main() {
    const cluster = Lers.Cluster.new_temporary();
    cluster.start(null);
    try {
        const uri = cluster.get_uri();
        const store = Lers.Store.new(uri);
        store.open_sync(null);

        let tx = store.begin_sync(null);
        for (const title of ['Первый', 'Второй', 'Третий'])
            tx.save_sync(nodeTitled(title), null);
        assertEq(psql(uri, 'SELECT count(*) FROM nodes'), '0', 'before commit');
        tx.commit_sync(null);
        assertEq(psql(uri, "SELECT string_agg(title, ',' ORDER BY id) FROM nodes"),
            'Первый,Второй,Третий', 'after commit');

        tx = store.begin_sync(null);
        for (const title of ['Откат1', 'Откат2', 'Откат3'])
            tx.save_sync(nodeTitled(title), null);
        tx.rollback();
        assertEq(psql(uri, 'SELECT count(*) FROM nodes'), '3', 'after rollback');

        // the generic list with a query, keyed by the type
        const query = Lers.StoreQuery.new();
        query.add_filter_string('title', Lers.StoreOp.LIKE, 'Вт%');
        const found = store.list_sync(Lers.Node, query, null);
        assertEq(found.length, 1, 'LIKE Вт%');
        assertEq(found[0].title, 'Второй', 'title');
        const again = store.get_sync(Lers.Node, found[0].id, null);
        assertEq(again.title, 'Второй', 'get_sync');
    } finally {
        cluster.stop();
    }
    print('ok');
    return 0;
}

main();
