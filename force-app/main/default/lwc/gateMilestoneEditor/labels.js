// The labels of the milestone editor form.
import ADD_HEADING from '@salesforce/label/c.Stagecraft_Editor_Add_Heading';
import EDIT_HEADING from '@salesforce/label/c.Stagecraft_Editor_Edit_Heading';
import NAME from '@salesforce/label/c.Stagecraft_Editor_Name';
import KEY from '@salesforce/label/c.Stagecraft_Editor_Key';
import KEY_HELP from '@salesforce/label/c.Stagecraft_Editor_Key_Help';
import KIND from '@salesforce/label/c.Stagecraft_Editor_Kind';
import FIELD from '@salesforce/label/c.Stagecraft_Editor_Field';
import VALUE from '@salesforce/label/c.Stagecraft_Editor_Value';
import VALUE_HELP from '@salesforce/label/c.Stagecraft_Editor_Value_Help';
import ROLES from '@salesforce/label/c.Stagecraft_Editor_Roles';
import MIN_COUNT from '@salesforce/label/c.Stagecraft_Editor_Min_Count';
import WINDOW from '@salesforce/label/c.Stagecraft_Editor_Window';
import ACTIVITY_TYPES from '@salesforce/label/c.Stagecraft_Editor_Activity_Types';
import CALL_SECONDS from '@salesforce/label/c.Stagecraft_Editor_Call_Seconds';
import JSON_LABEL from '@salesforce/label/c.Stagecraft_Editor_Json';
import REQUIRED from '@salesforce/label/c.Stagecraft_Editor_Required';
import ATTESTABLE from '@salesforce/label/c.Stagecraft_Editor_Attestable';
import WEIGHT from '@salesforce/label/c.Stagecraft_Editor_Weight';
import SORT_ORDER from '@salesforce/label/c.Stagecraft_Editor_Sort_Order';
import GUIDANCE from '@salesforce/label/c.Stagecraft_Editor_Guidance';
import COACHING_QUESTIONS from '@salesforce/label/c.Stagecraft_Editor_Coaching_Questions';
import FIX_THESE from '@salesforce/label/c.Stagecraft_Editor_Fix_These';
import SAVE from '@salesforce/label/c.Stagecraft_Save';
import CANCEL from '@salesforce/label/c.Stagecraft_Cancel';
import SAVED from '@salesforce/label/c.Stagecraft_Editor_Saved';
import SAVE_FAILED from '@salesforce/label/c.Stagecraft_Editor_Save_Failed';
import NOT_SAVED from '@salesforce/label/c.Stagecraft_Editor_Not_Saved';
import TYPE_CALL from '@salesforce/label/c.Stagecraft_Activity_Call';
import TYPE_MEETING from '@salesforce/label/c.Stagecraft_Activity_Meeting';
import TYPE_EMAIL from '@salesforce/label/c.Stagecraft_Activity_Email';
import TYPE_TASK from '@salesforce/label/c.Stagecraft_Activity_Task';

export const LABELS = {
    addHeading: ADD_HEADING,
    editHeading: EDIT_HEADING,
    name: NAME,
    key: KEY,
    keyHelp: KEY_HELP,
    kind: KIND,
    field: FIELD,
    value: VALUE,
    valueHelp: VALUE_HELP,
    roles: ROLES,
    minCount: MIN_COUNT,
    window: WINDOW,
    activityTypesLabel: ACTIVITY_TYPES,
    callSeconds: CALL_SECONDS,
    json: JSON_LABEL,
    required: REQUIRED,
    attestable: ATTESTABLE,
    weight: WEIGHT,
    sortOrder: SORT_ORDER,
    guidance: GUIDANCE,
    coachingQuestions: COACHING_QUESTIONS,
    fixThese: FIX_THESE,
    save: SAVE,
    cancel: CANCEL,
    saved: SAVED,
    saveFailed: SAVE_FAILED,
    notSaved: NOT_SAVED,
    activityTypes: { Call: TYPE_CALL, Meeting: TYPE_MEETING, Email: TYPE_EMAIL, Task: TYPE_TASK },
};
