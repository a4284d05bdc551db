// Reads the gate checklist JSON (shared/src/checklist.ts, version 1) defensively, and holds the labels the card shows.
import TITLE from '@salesforce/label/c.Stagecraft_Gate_Title';
import NOT_COMPUTED from '@salesforce/label/c.Stagecraft_Gate_Not_Computed';
import UNREADABLE from '@salesforce/label/c.Stagecraft_Gate_Checklist_Unreadable';
import NEWER from '@salesforce/label/c.Stagecraft_Gate_Checklist_Newer';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';
import GATE_STATUS from '@salesforce/label/c.Stagecraft_Gate_Status';
import GATE_SCORE from '@salesforce/label/c.Stagecraft_Gate_Score';
import WIN_PROBABILITY from '@salesforce/label/c.Stagecraft_Win_Probability';
import MET_OF_REQUIRED from '@salesforce/label/c.Stagecraft_Gate_Met_Of_Required';
import AS_OF from '@salesforce/label/c.Stagecraft_As_Of';
import STAGE_PATH from '@salesforce/label/c.Stagecraft_Gate_Stage_Path';
import STAGE_SKIPPED from '@salesforce/label/c.Stagecraft_Gate_Stage_Skipped';
import STATE_PASSED from '@salesforce/label/c.Stagecraft_Gate_Stage_Passed';
import STATE_SKIPPED from '@salesforce/label/c.Stagecraft_Gate_Stage_State_Skipped';
import STATE_CURRENT from '@salesforce/label/c.Stagecraft_Gate_Stage_Current';
import STATE_UPCOMING from '@salesforce/label/c.Stagecraft_Gate_Stage_Upcoming';
import RISK_FLAGS from '@salesforce/label/c.Stagecraft_Gate_Risk_Flags';
import NEXT_BEST_ACTION from '@salesforce/label/c.Stagecraft_Gate_Next_Best_Action';
import MILESTONES from '@salesforce/label/c.Stagecraft_Gate_Milestones';
import STAKEHOLDERS_ENGAGED from '@salesforce/label/c.Stagecraft_Gate_Stakeholders_Engaged';
import EXECUTIVE_ENGAGED from '@salesforce/label/c.Stagecraft_Gate_Executive_Engaged';
import DAYS_IN_STAGE from '@salesforce/label/c.Stagecraft_Gate_Days_In_Stage';
import NEXT_STEP_SET from '@salesforce/label/c.Stagecraft_Gate_Next_Step_Set';
import CLOSED_DEAL from '@salesforce/label/c.Stagecraft_Gate_Closed_Deal';
import SKIPPED_STAGES from '@salesforce/label/c.Stagecraft_Gate_Skipped_Stages';
import YES from '@salesforce/label/c.Stagecraft_Yes';
import NO from '@salesforce/label/c.Stagecraft_No';
import STATUS_MET from '@salesforce/label/c.Stagecraft_Gate_Status_Met';
import STATUS_IN_PROGRESS from '@salesforce/label/c.Stagecraft_Gate_Status_In_Progress';
import STATUS_AT_RISK from '@salesforce/label/c.Stagecraft_Gate_Status_At_Risk';
import STATUS_SKIPPED from '@salesforce/label/c.Stagecraft_Gate_Status_Skipped';
import FLAG_SINGLE_THREADED from '@salesforce/label/c.Stagecraft_Flag_Single_Threaded';
import FLAG_NO_EXECUTIVE from '@salesforce/label/c.Stagecraft_Flag_No_Executive';
import FLAG_STALLED from '@salesforce/label/c.Stagecraft_Flag_Stalled';
import FLAG_NO_NEXT_STEP from '@salesforce/label/c.Stagecraft_Flag_No_Next_Step';
import FLAG_GATE_SKIPPED from '@salesforce/label/c.Stagecraft_Flag_Gate_Skipped';
import FLAG_CLOSE_DATE_SLIPPED from '@salesforce/label/c.Stagecraft_Flag_Close_Date_Slipped';
import FLAG_NO_RECENT_ACTIVITY from '@salesforce/label/c.Stagecraft_Flag_No_Recent_Activity';

/** The checklist schema version this component understands. */
export const CHECKLIST_VERSION = 1;

export const LABELS = {
    title: TITLE,
    notComputed: NOT_COMPUTED,
    loading: LOADING,
    gateStatus: GATE_STATUS,
    gateScore: GATE_SCORE,
    winProbability: WIN_PROBABILITY,
    metOfRequired: MET_OF_REQUIRED,
    asOf: AS_OF,
    stagePath: STAGE_PATH,
    stageSkipped: STAGE_SKIPPED,
    stageStates: { passed: STATE_PASSED, skipped: STATE_SKIPPED, current: STATE_CURRENT, upcoming: STATE_UPCOMING },
    riskFlags: RISK_FLAGS,
    nextBestAction: NEXT_BEST_ACTION,
    milestones: MILESTONES,
    stakeholdersEngaged: STAKEHOLDERS_ENGAGED,
    executiveEngaged: EXECUTIVE_ENGAGED,
    daysInStage: DAYS_IN_STAGE,
    nextStepSet: NEXT_STEP_SET,
    yes: YES,
    no: NO,
    closedDeal: CLOSED_DEAL,
    skippedStages: SKIPPED_STAGES,
};

export const STATUS_LABELS = {
    Met: STATUS_MET,
    In_Progress: STATUS_IN_PROGRESS,
    At_Risk: STATUS_AT_RISK,
    Skipped: STATUS_SKIPPED,
};

export const FLAG_LABELS = {
    Single_Threaded: FLAG_SINGLE_THREADED,
    No_Executive: FLAG_NO_EXECUTIVE,
    Stalled: FLAG_STALLED,
    No_Next_Step: FLAG_NO_NEXT_STEP,
    Gate_Skipped: FLAG_GATE_SKIPPED,
    Close_Date_Slipped: FLAG_CLOSE_DATE_SLIPPED,
    No_Recent_Activity: FLAG_NO_RECENT_ACTIVITY,
};

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * @param {string|null|undefined} json the field value
 * @returns {{empty: boolean, problem: string|null, checklist: object|null}} exactly one of: empty (not computed
 *   yet), a problem a user can read (bad JSON, a newer schema), or the checklist with the parts this card reads
 */
export function parseChecklist(json) {
    if (json === null || json === undefined || String(json).trim() === '') {
        return { empty: true, problem: null, checklist: null };
    }
    let value;
    try {
        value = JSON.parse(json);
    } catch {
        return { empty: false, problem: UNREADABLE, checklist: null };
    }
    if (isObject(value) && typeof value.v === 'number' && value.v > CHECKLIST_VERSION) {
        return { empty: false, problem: NEWER, checklist: null };
    }
    const shaped =
        isObject(value) &&
        value.v === CHECKLIST_VERSION &&
        isObject(value.gate) &&
        Array.isArray(value.stages) &&
        Array.isArray(value.milestones) &&
        value.milestones.every((m) => isObject(m) && typeof m.key === 'string' && Array.isArray(m.evidence));
    if (!shaped) {
        return { empty: false, problem: UNREADABLE, checklist: null };
    }
    return { empty: false, problem: null, checklist: { riskFlags: [], nextBestAction: null, ...value } };
}
