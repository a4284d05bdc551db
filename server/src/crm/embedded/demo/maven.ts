// Reads the Maven Analytics CRM data set shipped in data/demo (see data/demo/PROVENANCE.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '../../../csv.ts';

export interface MavenDeal {
  id: string;
  agent: string;
  product: string;
  account: string | null;
  stage: 'Prospecting' | 'Engaging' | 'Won' | 'Lost';
  engageDate: string | null;
  closeDate: string | null;
  closeValue: number;
}

export interface MavenData {
  deals: MavenDeal[];
  teams: { agent: string; manager: string; office: string }[];
  accounts: { name: string; sector: string; yearEstablished: number; revenueMillions: number; employees: number; office: string; subsidiaryOf: string | null }[];
  products: { name: string; series: string; price: number }[];
}

const STAGES = new Set(['Prospecting', 'Engaging', 'Won', 'Lost']);

const rows = (dir: string, file: string): Record<string, string>[] => parseCsv(readFileSync(join(dir, file), 'utf8'), file).rows.map((r) => r.values);

export const readMaven = (dir: string): MavenData => ({
  deals: rows(dir, 'sales_pipeline.csv').map((r) => {
    if (!STAGES.has(r.deal_stage!)) throw new Error(`sales_pipeline.csv: unknown deal_stage "${r.deal_stage}" on ${r.opportunity_id}`);
    return {
      id: r.opportunity_id!,
      agent: r.sales_agent!,
      product: r.product!,
      account: r.account || null,
      stage: r.deal_stage as MavenDeal['stage'],
      engageDate: r.engage_date || null,
      closeDate: r.close_date || null,
      closeValue: Number(r.close_value || 0),
    };
  }),
  teams: rows(dir, 'sales_teams.csv').map((r) => ({ agent: r.sales_agent!, manager: r.manager!, office: r.regional_office! })),
  accounts: rows(dir, 'accounts.csv').map((r) => ({
    name: r.account!,
    sector: r.sector!,
    yearEstablished: Number(r.year_established),
    revenueMillions: Number(r.revenue),
    employees: Number(r.employees),
    office: r.office_location!,
    subsidiaryOf: r.subsidiary_of || null,
  })),
  products: rows(dir, 'products.csv').map((r) => ({ name: r.product!, series: r.series!, price: Number(r.sales_price) })),
});
