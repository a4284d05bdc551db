// The playbook: validation with every error at once, each naming its path; the last good playbook stays in force.
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAYBOOK, DEFAULT_PLAYBOOK_INPUT } from '../../../shared/src/playbook/default-playbook.ts';
import { applyPlaybook, describeErrors, processFor, validatePlaybook } from '../../../shared/src/playbook/schema.ts';

const clone = <T>(v: T): T => structuredClone(v);
type Editable = { processes: { stages: { name: string; closed?: boolean; won?: boolean; gate?: { milestones: Record<string, unknown>[] } }[]; executiveFromStage?: string; default?: boolean; name: string }[] };
const editable = (): Editable => clone(DEFAULT_PLAYBOOK_INPUT) as unknown as Editable;

describe('playbook validation', () => {
  it('When the default playbook is validated, then it is valid and gates every open stage of the standard process', () => {
    expect(validatePlaybook(DEFAULT_PLAYBOOK_INPUT).ok).toBe(true);
    const open = DEFAULT_PLAYBOOK.processes[0]!.stages.filter((s) => !s.closed);
    expect(open).toHaveLength(8);
    expect(open.every((s) => s.gate.milestones.length > 0)).toBe(true);
  });

  it('When a window is 0, then the error names the full path and says it must be > 0', () => {
    const p = editable();
    p.processes[0]!.stages[3]!.gate!.milestones[1]!.rule = { kind: 'executive', window: 0 };
    const result = validatePlaybook(p);
    expect(result.ok).toBe(false);
    expect(!result.ok && describeErrors(result.errors)).toEqual(['processes[0].stages[3].gate.milestones[1].rule.window: must be > 0']);
  });

  it('When there are several mistakes, then every one is reported at once', () => {
    const p = editable();
    p.processes[0]!.stages[1]!.gate!.milestones[0]!.key = 'Bad Key';
    p.processes[0]!.stages[2]!.gate!.milestones[0]!.rule = { kind: 'contactRoles', roles: [], atLeast: 0 };
    p.processes[0]!.stages[4]!.gate!.milestones[0]!.rule = { kind: 'teleport' };
    p.processes[0]!.executiveFromStage = 'Nowhere';
    const result = validatePlaybook(p);
    expect(result.ok).toBe(false);
    const paths = !result.ok ? result.errors.map((e) => e.path) : [];
    expect(paths).toEqual(expect.arrayContaining([
      'processes[0].stages[1].gate.milestones[0].key',
      'processes[0].stages[2].gate.milestones[0].rule.roles',
      'processes[0].stages[2].gate.milestones[0].rule.atLeast',
      'processes[0].stages[4].gate.milestones[0].rule.kind',
      'processes[0].executiveFromStage',
    ]));
    expect(paths).toHaveLength(5);
  });

  it('When a field rule is incomplete or asks for history that does not exist, then it is rejected with its path', () => {
    const p = editable();
    p.processes[0]!.stages[0]!.gate!.milestones[0]!.rule = { kind: 'field', field: 'Amount', op: 'gte' };
    p.processes[0]!.stages[1]!.gate!.milestones[0]!.rule = { kind: 'field', field: 'NextStep', op: 'changed' };
    const result = validatePlaybook(p);
    expect(!result.ok && describeErrors(result.errors)).toEqual([
      'processes[0].stages[0].gate.milestones[0].rule.value: is required for op "gte"',
      'processes[0].stages[1].gate.milestones[0].rule.field: has no history; "changed" works for Amount, CloseDate',
    ]);
  });

  it('When keys or stages repeat, or a closed stage has a gate, then each is an error', () => {
    const p = editable();
    const gate = p.processes[0]!.stages[2]!.gate!;
    gate.milestones.push({ ...gate.milestones[0]! });
    p.processes[0]!.stages[5]!.name = 'Needs Analysis';
    p.processes[0]!.stages[8]!.gate = { milestones: [gate.milestones[0]!] };
    const result = validatePlaybook(p);
    const messages = !result.ok ? describeErrors(result.errors) : [];
    expect(messages).toContain('processes[0].stages[2].gate.milestones[3].key: duplicates milestone "stakeholders_mapped" in this gate');
    expect(messages).toContain('processes[0].stages[5].name: duplicates stage "Needs Analysis"');
    expect(messages).toContain('processes[0].stages[8].gate: a closed stage has no exit gate');
  });

  it('When a bad playbook is applied, then the previous one stays in force and the errors come back', () => {
    const p = editable();
    p.processes[0]!.stages = [];
    const result = applyPlaybook(p, DEFAULT_PLAYBOOK);
    expect(result.accepted).toBe(false);
    expect(result.playbook).toBe(DEFAULT_PLAYBOOK);
    expect(result.errors[0]!.path).toBe('processes[0].stages');
  });

  it('When a deal names no process or an unknown one, then the default process applies and unknown is said', () => {
    expect(processFor(DEFAULT_PLAYBOOK, null)).toMatchObject({ known: true, process: { name: 'Standard' } });
    expect(processFor(DEFAULT_PLAYBOOK, 'Renewals')).toMatchObject({ known: false, process: { name: 'Standard' } });
  });
});
