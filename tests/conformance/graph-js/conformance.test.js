// Microsoft's Graph JavaScript client against the Graph simulator over --https: a client no one here wrote.
// Run by tests/pester/GraphJsClient.Tests.ps1 (inside `build.ps1 Test`), which starts the simulator, trusts its
// certificate through NODE_EXTRA_CA_CERTS and passes SIMULATOR_ROOT_URL and SIMULATOR_TOKEN.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, BatchRequestContent, BatchResponseContent, PageIterator } = require('@microsoft/microsoft-graph-client');

const root = process.env.SIMULATOR_ROOT_URL;
const token = process.env.SIMULATOR_TOKEN;
const E4 = '1392051d-0cb9-4b7a-88d5-621fee5e8711';
const O365E3 = '6fd2c87f-b296-42f0-b197-1e91e994b900';
const upn = n => `user${String(n).padStart(5, '0')}@contoso.onmicrosoft.com`;

// The client's default middleware (authentication, retry, redirect, telemetry). It sends the token only to Graph's
// own hosts and to customHosts, and only over https.
const client = Client.init({
    authProvider: done => done(null, token),
    baseUrl: `${root}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(root).hostname]),
});

async function admin(path, method = 'GET') {
    const response = await fetch(`${root}/_simulator/${path}`, { method });
    assert.equal(response.status, 200, `/_simulator/${path}`);
    return response.json();
}

test.beforeEach(() => admin('reset', 'POST'));

test('subscribedSkus', async () => {
    const skus = await client.api('/subscribedSkus').get();

    const e4 = skus.value.find(s => s.skuPartNumber === 'ENTERPRISEWITHSCAL');
    assert.equal(skus.value.length, 5);
    assert.equal(e4.skuId, E4);
    assert.ok(e4.servicePlans.length > 0);
    assert.equal((await admin('stats')).unauthorized, 0);
});

test('the assignedLicenses filter, paged through nextLink', async () => {
    const filter = `assignedLicenses/any(x:x/skuId eq ${E4})`;
    const counted = await client.api('/users').header('ConsistencyLevel', 'eventual').count(true).filter(filter).top(1).select('id').get();
    const first = await client.api('/users').filter(filter).select('id,userPrincipalName,assignedLicenses').top(100).get();
    const nextLinks = [];
    const ids = new Set();
    const iterator = new PageIterator(client, first, user => { ids.add(user.id); return true; });
    let page = first;
    await iterator.iterate();
    for (; page['@odata.nextLink']; page = await client.api(page['@odata.nextLink']).get()) {
        nextLinks.push(page['@odata.nextLink']);
    }

    assert.ok(counted['@odata.count'] > 200, `${counted['@odata.count']} E4 holders`);
    assert.equal(ids.size, counted['@odata.count']);
    assert.ok(nextLinks.length >= 2, `${nextLinks.length} nextLinks`);
    for (const link of nextLinks) {
        assert.ok(link.startsWith(`${root}/v1.0/users?`), link);
    }
    assert.equal((await admin('stats')).unauthorized, 0);
});

test('assignLicense', async () => {
    const user = await client.api(`/users/${upn(1)}/assignLicense`).post({
        addLicenses: [{ skuId: O365E3, disabledPlans: [] }],
        removeLicenses: [E4],
    });
    const after = await client.api(`/users/${upn(1)}`).select('assignedLicenses').get();

    assert.equal(user.userPrincipalName, upn(1));
    assert.deepEqual(after.assignedLicenses.map(l => l.skuId), [O365E3]);
    assert.equal((await admin('stats')).licenseWrites, 1);
});

test('a BatchRequestContent batch with a throttled item', async () => {
    // The simulator runs with --write-limit 3/3: three writes, then a token a second.
    const steps = [1, 3, 4, 6, 8].map(n => ({
        id: `u${n}`,
        request: new Request(`${root}/users/${encodeURIComponent(upn(n))}/assignLicense`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ addLicenses: [{ skuId: O365E3, disabledPlans: [] }], removeLicenses: [E4] }),
        }),
    }));
    const batch = new BatchRequestContent(steps);

    const answer = new BatchResponseContent(await client.api('/$batch').post(await batch.getContent()));
    const responses = [...answer.getResponses().values()];

    const throttled = responses.filter(r => r.status === 429);
    assert.equal(responses.filter(r => r.status === 200).length, 3);
    assert.equal(throttled.length, 2);
    for (const response of throttled) {
        assert.ok(Number(response.headers.get('Retry-After')) >= 1);
        assert.equal(response.headers.get('x-ms-throttle-information'), 'WriteLimitExceeded');
        assert.equal((await response.json()).error.code, 'TooManyRequests');
    }
    const stats = await admin('stats');
    assert.equal(stats.licenseWrites, 3);
    assert.equal(stats.throttled, 2);
});

test("the client's RetryHandler honours Retry-After", async () => {
    for (const n of [1, 3, 4]) {
        await client.api(`/users/${upn(n)}`).patch({ usageLocation: 'US' });
    }

    const started = Date.now();
    await client.api(`/users/${upn(6)}`).patch({ usageLocation: 'US' }); // 429, waits its Retry-After, then 204
    const waited = (Date.now() - started) / 1000;

    const stats = await admin('stats');
    assert.equal(stats.throttled, 1);
    assert.equal(stats.writes, 4);
    assert.equal(stats.earlyRetries, 0);
    assert.ok(waited >= 1, `retried after ${waited} s`);
});
