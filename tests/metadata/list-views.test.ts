// Every list view filters and shows fields that exist, with values those fields can hold, in filter syntax Salesforce accepts.
import { describe, expect, it } from 'vitest';
import { objectNamed, readObjects, resolveListViewColumn, type ListViewDef, type ObjectDef } from '../../server/src/metadata/force-app.ts';
import { FORCE_APP, LIST_VIEWS } from './expected.ts';

const objects = readObjects(FORCE_APP);
const FILTER_SCOPES = ['Everything', 'Mine', 'MineAndMyGroups', 'Queue', 'Delegated', 'MyTerritory', 'MyTeamTerritory', 'Team'];
const OPERATIONS = ['equals', 'notEqual', 'lessThan', 'greaterThan', 'lessOrEqual', 'greaterOrEqual', 'contains', 'notContain', 'startsWith', 'includes', 'excludes', 'within'];
const NUMERIC = ['Number', 'Percent', 'Currency'];

/** Every problem with one list view: unknown fields, impossible values, bad operations, dangling filter logic. */
export const listViewProblems = (object: ObjectDef, view: ListViewDef): string[] => {
  const problems: string[] = [];
  if (!FILTER_SCOPES.includes(view.filterScope)) problems.push(`filterScope ${view.filterScope}`);
  if (view.label.length > 40) problems.push(`label longer than 40: ${view.label}`);
  for (const column of view.columns) if (!resolveListViewColumn(object, column)) problems.push(`column ${column} does not exist`);
  view.filters.forEach((filter, i) => {
    const at = `filter ${i + 1} (${filter.field})`;
    const field = resolveListViewColumn(object, filter.field);
    if (!field) return void problems.push(`${at}: no such field`);
    if (!OPERATIONS.includes(filter.operation)) problems.push(`${at}: operation ${filter.operation}`);
    const multi = field.type === 'MultiselectPicklist';
    if ((filter.operation === 'includes' || filter.operation === 'excludes') !== multi) problems.push(`${at}: ${filter.operation} on a ${field.type}`);
    if (filter.value === undefined) {
      if (filter.operation !== 'equals' && filter.operation !== 'notEqual') problems.push(`${at}: ${filter.operation} needs a value`);
      return;
    }
    const values = filter.value.split(',');
    if (field.type === 'Checkbox' && !['0', '1'].includes(filter.value)) problems.push(`${at}: checkbox value ${filter.value} (use 0 or 1)`);
    if (NUMERIC.includes(field.type) && values.some((v) => !Number.isFinite(Number(v)))) problems.push(`${at}: ${filter.value} is not a number`);
    if (field.values) for (const v of values) if (!field.values.includes(v)) problems.push(`${at}: ${v} is not a value of ${filter.field}`);
  });
  if (view.booleanFilter) {
    const refs = [...view.booleanFilter.matchAll(/\d+/g)].map((m) => Number(m[0]));
    const indices = view.filters.map((_, i) => i + 1);
    if (refs.some((r) => !indices.includes(r)) || indices.some((i) => !refs.includes(i))) problems.push(`booleanFilter ${view.booleanFilter} does not match ${view.filters.length} filters`);
    if (!/^(?:\d+|AND|OR|NOT|\(|\)|\s)+$/.test(view.booleanFilter)) problems.push(`booleanFilter ${view.booleanFilter} is not filter logic`);
  }
  return problems;
};

const all = objects.flatMap((o) => o.listViews.map((v) => [`${o.apiName}.${v.name}`, o, v] as const));
const view = (object: string, name: string): ListViewDef => {
  const found = objectNamed(objects, object).listViews.find((v) => v.name === name);
  if (!found) throw new Error(`no list view ${object}.${name}`);
  return found;
};
const filter = (v: ListViewDef, field: string) => v.filters.filter((f) => f.field === field);

describe('list views', () => {
  it('When the list views are read, then each object has exactly the expected ones', () => {
    for (const [object, names] of Object.entries(LIST_VIEWS)) expect(objectNamed(objects, object).listViews.map((v) => v.name)).toEqual([...names]);
  });

  it.each(all)('When %s is checked, then every column and filter names a field that exists, with a valid value', (_n, object, v) => {
    expect(listViewProblems(object, v)).toEqual([]);
    expect(v.columns.length).toBeGreaterThanOrEqual(4);
  });

  it.each(LIST_VIEWS.Opportunity.map((n) => [n]))('When Opportunity.%s is read, then it shows open deals only, with the manager columns', (name) => {
    const v = view('Opportunity', name);
    expect(filter(v, 'OPPORTUNITY.CLOSED')).toEqual([{ field: 'OPPORTUNITY.CLOSED', operation: 'equals', value: '0' }]);
    // With filter logic the open-deal filter must be ANDed at the top level, not buried in an OR.
    if (v.booleanFilter) expect(v.booleanFilter).toMatch(/^1 AND /);
    for (const column of ['OPPORTUNITY.NAME', 'ACCOUNT.NAME', 'CORE.USERS.FULL_NAME', 'OPPORTUNITY.STAGE_NAME', 'OPPORTUNITY.AMOUNT', 'OPPORTUNITY.CLOSE_DATE']) expect(v.columns).toContain(column);
  });

  it('When the leading-indicator views are read, then each filters on its indicator', () => {
    expect(filter(view('Opportunity', 'Gate_At_Risk'), 'Gate_Status__c')).toEqual([{ field: 'Gate_Status__c', operation: 'equals', value: 'At_Risk' }]);
    expect(filter(view('Opportunity', 'Stalled_In_Stage'), 'Deal_Risk_Flags__c')).toEqual([{ field: 'Deal_Risk_Flags__c', operation: 'includes', value: 'Stalled' }]);
    expect(filter(view('Opportunity', 'Missing_Next_Step'), 'Next_Step_Set__c')).toEqual([{ field: 'Next_Step_Set__c', operation: 'equals', value: '0' }]);
    const noExec = view('Opportunity', 'No_Executive_Mid_Stage');
    expect(filter(noExec, 'Executive_Engaged__c')).toEqual([{ field: 'Executive_Engaged__c', operation: 'equals', value: '0' }]);
    expect(filter(noExec, 'OPPORTUNITY.STAGE_NAME')[0]?.value?.split(',')).toEqual(['Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Perception Analysis', 'Proposal/Price Quote', 'Negotiation/Review']);
  });

  it('When the late-stage single-threaded view is read, then it is late stages AND (flagged single-threaded OR at most one stakeholder)', () => {
    const v = view('Opportunity', 'Late_Stage_Single_Threaded');
    expect(v.filters.slice(1)).toEqual([
      { field: 'OPPORTUNITY.STAGE_NAME', operation: 'equals', value: 'Proposal/Price Quote,Negotiation/Review' },
      { field: 'Deal_Risk_Flags__c', operation: 'includes', value: 'Single_Threaded' },
      { field: 'Stakeholders_Engaged__c', operation: 'lessOrEqual', value: '1' },
    ]);
    expect(v.booleanFilter).toBe('1 AND 2 AND (3 OR 4)');
  });

  it('When the scorecard views are read, then they show current scorecards, and the team view is scoped to the team', () => {
    for (const name of ['Below_Peers_Executive_Access', 'Diagnosis_Skill', 'Diagnosis_Will', 'Current_Period_My_Team']) {
      expect(filter(view('Rep_Scorecard__c', name), 'Is_Current__c')).toEqual([{ field: 'Is_Current__c', operation: 'equals', value: '1' }]);
    }
    expect(view('Rep_Scorecard__c', 'Current_Period_My_Team').filterScope).toBe('Team');
    expect(filter(view('Rep_Scorecard__c', 'Diagnosis_Skill'), 'Coaching_Diagnosis__c')[0]?.value).toBe('Skill');
    expect(filter(view('Rep_Scorecard__c', 'Diagnosis_Will'), 'Coaching_Diagnosis__c')[0]?.value).toBe('Will');
    expect(filter(view('Rep_Scorecard__c', 'Below_Peers_Executive_Access'), 'Below_Peers_Executive_Access__c')[0]?.value).toBe('1');
  });

  it('When the coaching views are read, then "Plans due for review" is active plans reviewed by today, and "Deals not inspected in 30 days" is open deals never or not lately inspected', () => {
    expect(view('Coaching_Plan__c', 'Plans_Due_For_Review').filters).toEqual([
      { field: 'Status__c', operation: 'equals', value: 'Active' },
      { field: 'Review_Date__c', operation: 'lessOrEqual', value: 'TODAY' },
    ]);
    const v = view('Opportunity', 'Not_Inspected_30_Days');
    expect(v.label).toBe('Deals not inspected in 30 days');
    expect(v.filters.slice(1)).toEqual([{ field: 'Last_Inspected__c', operation: 'equals' }, { field: 'Last_Inspected__c', operation: 'lessThan', value: 'LAST_N_DAYS:30' }]);
    expect(v.booleanFilter).toBe('1 AND (2 OR 3)');
  });

  it('When the checker meets broken list views, then it reports each problem', () => {
    const opp = objectNamed(objects, 'Opportunity');
    const broken: ListViewDef = {
      name: 'Broken', label: 'x'.repeat(41), filterScope: 'Everybody', columns: ['OPPORTUNITY.NAME', 'Nope__c', 'OPPORTUNITY.NOPE'],
      filters: [
        { field: 'Gate_Status__c', operation: 'equals', value: 'At Risk' },
        { field: 'Deal_Risk_Flags__c', operation: 'equals', value: 'Stalled' },
        { field: 'Executive_Engaged__c', operation: 'equals', value: 'false' },
        { field: 'Stakeholders_Engaged__c', operation: 'lessOrEqual', value: 'one' },
        { field: 'OPPORTUNITY.STAGE_NAME', operation: 'equals', value: 'Prospecting,Negotiation' },
      ],
      booleanFilter: '1 AND 2 AND 7',
    };
    const problems = listViewProblems(opp, broken).join('\n');
    for (const expected of ['filterScope Everybody', 'label longer than 40', 'column Nope__c', 'column OPPORTUNITY.NOPE', 'At Risk is not a value', 'equals on a MultiselectPicklist', 'checkbox value false', 'one is not a number', 'Negotiation is not a value', 'booleanFilter 1 AND 2 AND 7']) {
      expect(problems).toContain(expected);
    }
    expect(problems).not.toContain('Prospecting is not');
  });
});
