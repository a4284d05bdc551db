// The labels the coaching plans card shows.
import TITLE from '@salesforce/label/c.Stagecraft_Plans_Title';
import NEW_PLAN from '@salesforce/label/c.Stagecraft_Plans_New';
import FROM_DIAGNOSIS from '@salesforce/label/c.Stagecraft_Plans_From_Diagnosis';
import NO_FOCUS from '@salesforce/label/c.Stagecraft_Plans_No_Focus';
import ACTIONS from '@salesforce/label/c.Stagecraft_Plans_Actions';
import TARGET from '@salesforce/label/c.Stagecraft_Plans_Target';
import REVIEW_DATE from '@salesforce/label/c.Stagecraft_Plans_Review_Date';
import CREATE from '@salesforce/label/c.Stagecraft_Plans_Create';
import CREATED from '@salesforce/label/c.Stagecraft_Plans_Created';
import FAILED from '@salesforce/label/c.Stagecraft_Plans_Failed';
import NONE from '@salesforce/label/c.Stagecraft_Plans_None';
import BASELINE from '@salesforce/label/c.Stagecraft_Plans_Baseline';
import WEEKS from '@salesforce/label/c.Stagecraft_Plans_Weeks';
import NOT_MEASURED from '@salesforce/label/c.Stagecraft_Plans_Not_Measured';
import CLOSE_WORKED from '@salesforce/label/c.Stagecraft_Plans_Close_Worked';
import CLOSE_NOT from '@salesforce/label/c.Stagecraft_Plans_Close_Did_Not_Work';
import CLOSED_AS from '@salesforce/label/c.Stagecraft_Plans_Closed_As';
import WORKED from '@salesforce/label/c.Stagecraft_Plans_Worked';
import DID_NOT_WORK from '@salesforce/label/c.Stagecraft_Plans_Did_Not_Work';
import SIGNAL_LINE from '@salesforce/label/c.Stagecraft_Plans_Signal_Line';
import MOVED from '@salesforce/label/c.Stagecraft_Coaching_Moved';
import NOT_MOVED from '@salesforce/label/c.Stagecraft_Coaching_Not_Moved';
import TOO_EARLY from '@salesforce/label/c.Stagecraft_Coaching_Too_Early';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';

export const LABELS = {
    title: TITLE,
    newPlan: NEW_PLAN,
    fromDiagnosis: FROM_DIAGNOSIS,
    noFocus: NO_FOCUS,
    actions: ACTIONS,
    target: TARGET,
    reviewDate: REVIEW_DATE,
    create: CREATE,
    created: CREATED,
    failed: FAILED,
    none: NONE,
    baseline: BASELINE,
    weeks: WEEKS,
    notMeasured: NOT_MEASURED,
    closeWorked: CLOSE_WORKED,
    closeNot: CLOSE_NOT,
    closedAs: CLOSED_AS,
    signalLine: SIGNAL_LINE,
    loading: LOADING,
};
export const VERDICT_LABELS = { Moved: MOVED, Not_Moved: NOT_MOVED, Too_Early: TOO_EARLY };
export const OUTCOME_LABELS = { Worked: WORKED, Did_Not_Work: DID_NOT_WORK };
