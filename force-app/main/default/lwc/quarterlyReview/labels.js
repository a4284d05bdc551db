// The labels the quarterly review shows.
import TITLE from '@salesforce/label/c.Stagecraft_Review_Title';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';
import NO_REVIEW from '@salesforce/label/c.Stagecraft_Review_None_Yet';
import STATUS from '@salesforce/label/c.Stagecraft_Review_Status';
import OBJECTIVES from '@salesforce/label/c.Stagecraft_Review_Objectives';
import NO_OBJECTIVES from '@salesforce/label/c.Stagecraft_Review_No_Objectives';
import OBJECTIVES_UNREADABLE from '@salesforce/label/c.Stagecraft_Review_Objectives_Unreadable';
import OBJECTIVE from '@salesforce/label/c.Stagecraft_Review_Objective';
import MEASURE from '@salesforce/label/c.Stagecraft_Review_Measure';
import ACTUAL from '@salesforce/label/c.Stagecraft_Review_Actual';
import TARGET from '@salesforce/label/c.Stagecraft_Review_Target';
import WHAT_WORKED from '@salesforce/label/c.Stagecraft_Review_What_Worked';
import WHAT_DID_NOT_WORK from '@salesforce/label/c.Stagecraft_Review_What_Did_Not_Work';
import LESSONS from '@salesforce/label/c.Stagecraft_Review_Lessons_Learned';
import NEXT_PLAN from '@salesforce/label/c.Stagecraft_Review_Next_Quarter_Plan';
import MANAGER_NOTES from '@salesforce/label/c.Stagecraft_Review_Manager_Notes';
import SAVE from '@salesforce/label/c.Stagecraft_Save';
import SUBMIT from '@salesforce/label/c.Stagecraft_Review_Submit';
import MARK_REVIEWED from '@salesforce/label/c.Stagecraft_Review_Mark_Reviewed';
import SAVED from '@salesforce/label/c.Stagecraft_Review_Saved';
import SAVE_FAILED from '@salesforce/label/c.Stagecraft_Review_Save_Failed';
import DRAFT from '@salesforce/label/c.Stagecraft_Review_Status_Draft';
import SUBMITTED from '@salesforce/label/c.Stagecraft_Review_Status_Submitted';
import REVIEWED from '@salesforce/label/c.Stagecraft_Review_Status_Reviewed';
import UNSAVED from '@salesforce/label/c.Stagecraft_Review_Unsaved';
import SUBMITTED_TOAST from '@salesforce/label/c.Stagecraft_Review_Submitted_Toast';
import REVIEWED_TOAST from '@salesforce/label/c.Stagecraft_Review_Reviewed_Toast';
import LOCKED from '@salesforce/label/c.Stagecraft_Review_Locked';
import CLOSED from '@salesforce/label/c.Stagecraft_Review_Closed';
import LEAVE_WARNING from '@salesforce/label/c.Stagecraft_Review_Leave_Warning';
import PLANS_WORKED from '@salesforce/label/c.Stagecraft_Review_Plans_Worked';
import PLANS_DID_NOT_WORK from '@salesforce/label/c.Stagecraft_Review_Plans_Did_Not_Work';

export const LABELS = {
    unsaved: UNSAVED,
    savedAs: { Submitted: SUBMITTED_TOAST, Reviewed: REVIEWED_TOAST },
    locked: LOCKED,
    closed: CLOSED,
    leaveWarning: LEAVE_WARNING,
    plansWorked: PLANS_WORKED,
    plansDidNotWork: PLANS_DID_NOT_WORK,
    title: TITLE,
    loading: LOADING,
    noReview: NO_REVIEW,
    status: STATUS,
    objectives: OBJECTIVES,
    noObjectives: NO_OBJECTIVES,
    objectivesUnreadable: OBJECTIVES_UNREADABLE,
    objective: OBJECTIVE,
    measure: MEASURE,
    actual: ACTUAL,
    target: TARGET,
    save: SAVE,
    submit: SUBMIT,
    markReviewed: MARK_REVIEWED,
    saved: SAVED,
    saveFailed: SAVE_FAILED,
    fields: {
        What_Worked__c: WHAT_WORKED,
        What_Did_Not_Work__c: WHAT_DID_NOT_WORK,
        Lessons_Learned__c: LESSONS,
        Next_Quarter_Plan__c: NEXT_PLAN,
        Manager_Notes__c: MANAGER_NOTES,
    },
};

export const STATUS_LABELS = { Draft: DRAFT, Submitted: SUBMITTED, Reviewed: REVIEWED };
