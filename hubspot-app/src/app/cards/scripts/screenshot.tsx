// The README's pictures of the deal card and the settings page: each rendered by HubSpot's own test renderer from a sample companion
// answer, its component tree written out as plain HTML (one element per HubSpot component, styled plainly), and that
// page photographed by Chromium. HubSpot draws the real card with its own components; this shows what it contains.
// Run from the repository root: hubspot-app/src/app/cards/node_modules/.bin/vite-node hubspot-app/src/app/cards/scripts/screenshot.tsx
import React from 'react';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRenderer, RenderedNodeType, type RenderedNode } from '@hubspot/ui-extensions/testing';
import { Tag } from '@hubspot/ui-extensions';
import { DealGate } from '../DealGate.tsx';
import { GateDesigner } from '../../settings/GateDesigner.tsx';
import { BACKTEST, CONVERSION, dealWith, PLAYBOOK } from '../tests/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../../../..');
const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const TAGS: Record<string, string> = { Table: 'table', TableHead: 'thead', TableBody: 'tbody', TableRow: 'tr', TableHeader: 'th', TableCell: 'td', Heading: 'h2', Button: 'button', List: 'ul' };

const html = (node: RenderedNode): string => {
  if (node.nodeType === RenderedNodeType.Text) return escape(node.text);
  const inner = node.childNodes.map((c) => (node.nodeType === RenderedNodeType.Element && node.name === 'List' ? `<li>${html(c)}</li>` : html(c))).join('');
  if (node.nodeType !== RenderedNodeType.Element) return inner;
  const p = node.props as Record<string, unknown>;
  const variant = typeof p.variant === 'string' ? ` data-variant="${escape(p.variant)}"` : '';
  switch (node.name) {
    case 'StatisticsItem': return `<div class="StatisticsItem"><div class="label">${escape(String(p.label))}</div><div class="number">${escape(String(p.number))}</div>${inner}</div>`;
    case 'Alert': return `<div class="Alert"${variant}><strong>${escape(String(p.title ?? ''))}</strong> ${inner}</div>`;
    case 'Toggle': return `<span class="Toggle" data-on="${p.checked ? 'on' : 'off'}">${p.checked ? 'Required' : 'Optional'}</span>`;
    case 'TextArea': return `<label class="TextArea">${escape(String(p.label))}<textarea>${escape(String(p.value ?? ''))}</textarea></label>`;
    default: {
      // HubSpot's Text is a paragraph unless `inline`; tags are inline.
      const tag = TAGS[node.name] ?? (node.name === 'Text' ? (p.inline ? 'span' : 'p') : ['Tag', 'StatusTag'].includes(node.name) ? 'span' : 'div');
      // A Flex lays out as its direction prop says (row when unset, as HubSpot's does).
      const direction = node.name === 'Flex' ? (p.direction === 'column' ? ' style="flex-direction:column;align-items:flex-start"' : ' style="flex-direction:row"') : '';
      return `<${tag} class="${node.name}"${variant}${direction}>${inner}</${tag}>`;
    }
  }
};

const CSS = `body{font-family:"Lexend Deca",Helvetica,Arial,sans-serif;color:#33475b;background:#f5f8fa;margin:0;padding:24px}
.card{background:#fff;border:1px solid #cbd6e2;border-radius:4px;padding:20px;width:760px}
.Flex{display:flex;flex-direction:column;gap:10px}.Flex .Flex{flex-direction:row;flex-wrap:wrap;gap:6px;align-items:center}
h2{font-size:18px;margin:0}p{margin:0}.Statistics{display:flex;gap:40px}.StatisticsItem .label{font-size:12px;text-transform:uppercase}
.StatisticsItem .number{font-size:28px;font-weight:300}.Tag,.StatusTag{font-size:12px;border-radius:3px;padding:2px 8px;background:#eaf0f6}
[data-variant=success]{background:#e5f8f6;color:#00a38d}[data-variant=danger],[data-variant=error]{background:#fde8e9;color:#d94c53}
[data-variant=warning]{background:#fef8f0;color:#b36b00}[data-variant=info]{background:#e5f5f8;color:#0091ae}
.Toggle{font-size:12px;border-radius:10px;padding:2px 10px;border:1px solid #cbd6e2}.Toggle[data-on=on]{background:#00bda5;color:#fff;border-color:#00bda5}
.Alert{border-left:4px solid #0091ae;background:#e5f5f8;padding:8px 12px}.Divider{border-top:1px solid #cbd6e2}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #cbd6e2;padding:8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f5f8fa;font-size:12px;text-transform:uppercase}ul{margin:0;padding-left:18px}
button{font:inherit;font-size:12px;border:1px solid #cbd6e2;background:#fff;border-radius:3px;padding:4px 12px;margin-top:4px}`;

/** A rendered tree as a page, photographed by Chromium (the root's playwright-core, the browser suite's). */
const photograph = async (root: RenderedNode, file: string, width: number): Promise<void> => {
  const page = `<!doctype html><meta charset="utf-8"><style>${CSS}</style><div class="card" style="width:${width - 60}px">${html(root)}</div>`;
  const htmlFile = join(mkdtempSync(join(tmpdir(), 'hubspot-card-')), 'card.html');
  writeFileSync(htmlFile, page);
  const { chromium } = (await import(join(ROOT, 'node_modules', 'playwright-core', 'index.mjs'))) as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.STAGECRAFT_CHROMIUM ?? '/usr/bin/chromium' });
  const tab = await browser.newPage({ viewport: { width, height: 600 } });
  await tab.goto(`file://${htmlFile}`);
  await tab.locator('.card').screenshot({ path: join(ROOT, 'docs', file) });
  await browser.close();
  console.log(`docs/${file}`);
};

mkdirSync(join(ROOT, 'docs'), { recursive: true });
const deal = createRenderer('crm.record.tab');
const sample = dealWith();
deal.render(<DealGate dealId={sample.Id} request={async () => sample} />);
await deal.waitFor(() => void deal.find(Tag));
await photograph(deal.getRootNode(), 'hubspot-deal-card.png', 820);

const settings = createRenderer('settings');
const answers: Record<string, unknown> = { '/api/playbook': PLAYBOOK, '/api/analytics/conversion': CONVERSION, '/api/analytics/backtest': BACKTEST };
settings.render(<GateDesigner request={async (path) => answers[path]} />);
await settings.waitFor(() => void settings.find(Tag));
await photograph(settings.getRootNode(), 'hubspot-settings-page.png', 1100);
