// Gives component tests the real custom label values (force-app/main/default/labels/CustomLabels.labels-meta.xml)
// instead of sfdx-lwc-jest's default "c.Label_Name", so tests read like the UI and a missing label shows.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const xml = readFileSync(join(__dirname, 'force-app/main/default/labels/CustomLabels.labels-meta.xml'), 'utf8');
const unescape = (s) =>
    s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

for (const [, body] of xml.matchAll(/<labels>([\s\S]*?)<\/labels>/g)) {
    const name = /<fullName>([^<]+)<\/fullName>/.exec(body)?.[1];
    const value = /<value>([\s\S]*?)<\/value>/.exec(body)?.[1];
    if (name && value !== undefined) {
        const text = unescape(value);
        jest.mock(`@salesforce/label/c.${name}`, () => ({ default: text }), { virtual: true });
    }
}
