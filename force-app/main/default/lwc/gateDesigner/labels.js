// The labels of the gate designer.
import TITLE from '@salesforce/label/c.Stagecraft_Designer_Title';
import INTRO from '@salesforce/label/c.Stagecraft_Designer_Intro';
import EMPTY from '@salesforce/label/c.Stagecraft_Designer_Empty';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';
import GATE_HEADING from '@salesforce/label/c.Stagecraft_Designer_Gate_Heading';
import INACTIVE from '@salesforce/label/c.Stagecraft_Designer_Inactive';
import CONFIG_ERROR from '@salesforce/label/c.Stagecraft_Designer_Config_Error';
import NO_MILESTONES from '@salesforce/label/c.Stagecraft_Designer_No_Milestones';
import REQUIREMENT from '@salesforce/label/c.Stagecraft_Milestone_Requirement';
import REQUIRED from '@salesforce/label/c.Stagecraft_Milestone_Required';
import OPTIONAL from '@salesforce/label/c.Stagecraft_Milestone_Optional';
import SHARE_MET from '@salesforce/label/c.Stagecraft_Designer_Share_Met';
import WIN_RATE_MET from '@salesforce/label/c.Stagecraft_Designer_Win_Rate_Met';
import WIN_RATE_MISSED from '@salesforce/label/c.Stagecraft_Designer_Win_Rate_Missed';
import LIFT_HEADING from '@salesforce/label/c.Stagecraft_Designer_Lift_Heading';
import LIFT from '@salesforce/label/c.Stagecraft_Designer_Lift';
import NO_LIFT from '@salesforce/label/c.Stagecraft_Designer_No_Lift';
import NO_LIFT_ALL from '@salesforce/label/c.Stagecraft_Designer_No_Lift_All';
import NO_LIFT_NONE from '@salesforce/label/c.Stagecraft_Designer_No_Lift_None';
import PREDICTIVE from '@salesforce/label/c.Stagecraft_Designer_Predictive';
import NOT_PREDICTIVE from '@salesforce/label/c.Stagecraft_Designer_Not_Predictive';
import NO_STATS from '@salesforce/label/c.Stagecraft_Designer_No_Stats';
import EDIT from '@salesforce/label/c.Stagecraft_Designer_Edit';
import ADD from '@salesforce/label/c.Stagecraft_Designer_Add';
import REMOVE from '@salesforce/label/c.Stagecraft_Designer_Remove';
import REMOVE_CONFIRM from '@salesforce/label/c.Stagecraft_Designer_Remove_Confirm';
import KEEP from '@salesforce/label/c.Stagecraft_Designer_Keep';
import REMOVED from '@salesforce/label/c.Stagecraft_Designer_Removed';
import REMOVE_FAILED from '@salesforce/label/c.Stagecraft_Designer_Remove_Failed';
import CLOSED_STAGE from '@salesforce/label/c.Stagecraft_Designer_Closed_Stage';

export const LABELS = {
    title: TITLE,
    intro: INTRO,
    empty: EMPTY,
    loading: LOADING,
    gateHeading: GATE_HEADING,
    inactive: INACTIVE,
    configError: CONFIG_ERROR,
    noMilestones: NO_MILESTONES,
    requirement: REQUIREMENT,
    required: REQUIRED,
    optional: OPTIONAL,
    shareMet: SHARE_MET,
    winRateMet: WIN_RATE_MET,
    winRateMissed: WIN_RATE_MISSED,
    liftHeading: LIFT_HEADING,
    lift: LIFT,
    noLift: NO_LIFT,
    noLiftAll: NO_LIFT_ALL,
    noLiftNone: NO_LIFT_NONE,
    predictive: PREDICTIVE,
    notPredictive: NOT_PREDICTIVE,
    noStats: NO_STATS,
    edit: EDIT,
    add: ADD,
    remove: REMOVE,
    removeConfirm: REMOVE_CONFIRM,
    keep: KEEP,
    removed: REMOVED,
    removeFailed: REMOVE_FAILED,
    closedStage: CLOSED_STAGE,
};
