// Rule kinds in plain words, and the validation messages of the milestone editor.
import FIELD_PRESENT from '@salesforce/label/c.Stagecraft_Rule_Field_Present';
import FIELD_EQUALS from '@salesforce/label/c.Stagecraft_Rule_Field_Equals';
import FIELD_IN from '@salesforce/label/c.Stagecraft_Rule_Field_In';
import FIELD_AT_LEAST from '@salesforce/label/c.Stagecraft_Rule_Field_At_Least';
import FIELD_AT_MOST from '@salesforce/label/c.Stagecraft_Rule_Field_At_Most';
import FIELD_CHANGED from '@salesforce/label/c.Stagecraft_Rule_Field_Changed';
import CONTACT_ROLES from '@salesforce/label/c.Stagecraft_Rule_Contact_Roles';
import STAKEHOLDERS_ENGAGED from '@salesforce/label/c.Stagecraft_Rule_Stakeholders_Engaged';
import EXECUTIVE_ENGAGED from '@salesforce/label/c.Stagecraft_Rule_Executive_Engaged';
import ACTIVITY from '@salesforce/label/c.Stagecraft_Rule_Activity';
import MEANINGFUL_CONVERSATION from '@salesforce/label/c.Stagecraft_Rule_Meaningful_Conversation';
import MEANINGFUL_CONVERSATION_DEFAULT from '@salesforce/label/c.Stagecraft_Rule_Meaningful_Conversation_Default';
import NEXT_STEP_SET from '@salesforce/label/c.Stagecraft_Rule_Next_Step_Set';
import ATTESTED from '@salesforce/label/c.Stagecraft_Rule_Attested';
import COMPOSITE from '@salesforce/label/c.Stagecraft_Rule_Composite';
import KIND_FIELD_PRESENT from '@salesforce/label/c.Stagecraft_Kind_Field_Present';
import KIND_FIELD_EQUALS from '@salesforce/label/c.Stagecraft_Kind_Field_Equals';
import KIND_FIELD_IN from '@salesforce/label/c.Stagecraft_Kind_Field_In';
import KIND_FIELD_AT_LEAST from '@salesforce/label/c.Stagecraft_Kind_Field_At_Least';
import KIND_FIELD_AT_MOST from '@salesforce/label/c.Stagecraft_Kind_Field_At_Most';
import KIND_FIELD_CHANGED from '@salesforce/label/c.Stagecraft_Kind_Field_Changed';
import KIND_CONTACT_ROLES from '@salesforce/label/c.Stagecraft_Kind_Contact_Roles';
import KIND_STAKEHOLDERS_ENGAGED from '@salesforce/label/c.Stagecraft_Kind_Stakeholders_Engaged';
import KIND_EXECUTIVE_ENGAGED from '@salesforce/label/c.Stagecraft_Kind_Executive_Engaged';
import KIND_ACTIVITY from '@salesforce/label/c.Stagecraft_Kind_Activity';
import KIND_MEANINGFUL_CONVERSATION from '@salesforce/label/c.Stagecraft_Kind_Meaningful_Conversation';
import KIND_NEXT_STEP_SET from '@salesforce/label/c.Stagecraft_Kind_Next_Step_Set';
import KIND_ATTESTED from '@salesforce/label/c.Stagecraft_Kind_Attested';
import KIND_COMPOSITE from '@salesforce/label/c.Stagecraft_Kind_Composite';
import ANY_ACTIVITY_TYPE from '@salesforce/label/c.Stagecraft_Rule_Any_Activity_Type';
import NAME_REQUIRED from '@salesforce/label/c.Stagecraft_Validation_Name_Required';
import KEY_REQUIRED from '@salesforce/label/c.Stagecraft_Validation_Key_Required';
import KIND_REQUIRED from '@salesforce/label/c.Stagecraft_Validation_Kind_Required';
import WEIGHT from '@salesforce/label/c.Stagecraft_Validation_Weight';
import FIELD_REQUIRED from '@salesforce/label/c.Stagecraft_Validation_Field_Required';
import VALUE_REQUIRED from '@salesforce/label/c.Stagecraft_Validation_Value_Required';
import ROLES_REQUIRED from '@salesforce/label/c.Stagecraft_Validation_Roles_Required';
import MIN_COUNT from '@salesforce/label/c.Stagecraft_Validation_Min_Count';
import WINDOW from '@salesforce/label/c.Stagecraft_Validation_Window';
import CALL_SECONDS from '@salesforce/label/c.Stagecraft_Validation_Call_Seconds';
import SORT_ORDER from '@salesforce/label/c.Stagecraft_Validation_Sort_Order';
import JSON_INVALID from '@salesforce/label/c.Stagecraft_Validation_Json';

/** A meaningful-conversation rule without its own call length uses the playbook's (meaningfulCallSeconds). */
export const MEANINGFUL_DEFAULT_TEXT = MEANINGFUL_CONVERSATION_DEFAULT;

export const RULE_TEXT = {
    Field_Present: FIELD_PRESENT,
    Field_Equals: FIELD_EQUALS,
    Field_In: FIELD_IN,
    Field_At_Least: FIELD_AT_LEAST,
    Field_At_Most: FIELD_AT_MOST,
    Field_Changed: FIELD_CHANGED,
    Contact_Roles: CONTACT_ROLES,
    Stakeholders_Engaged: STAKEHOLDERS_ENGAGED,
    Executive_Engaged: EXECUTIVE_ENGAGED,
    Activity: ACTIVITY,
    Meaningful_Conversation: MEANINGFUL_CONVERSATION,
    Next_Step_Set: NEXT_STEP_SET,
    Attested: ATTESTED,
    Composite: COMPOSITE,
};

export const KIND_NAMES = {
    Field_Present: KIND_FIELD_PRESENT,
    Field_Equals: KIND_FIELD_EQUALS,
    Field_In: KIND_FIELD_IN,
    Field_At_Least: KIND_FIELD_AT_LEAST,
    Field_At_Most: KIND_FIELD_AT_MOST,
    Field_Changed: KIND_FIELD_CHANGED,
    Contact_Roles: KIND_CONTACT_ROLES,
    Stakeholders_Engaged: KIND_STAKEHOLDERS_ENGAGED,
    Executive_Engaged: KIND_EXECUTIVE_ENGAGED,
    Activity: KIND_ACTIVITY,
    Meaningful_Conversation: KIND_MEANINGFUL_CONVERSATION,
    Next_Step_Set: KIND_NEXT_STEP_SET,
    Attested: KIND_ATTESTED,
    Composite: KIND_COMPOSITE,
};

export const ANY_TYPE = ANY_ACTIVITY_TYPE;

export const MESSAGES = {
    nameRequired: NAME_REQUIRED,
    keyRequired: KEY_REQUIRED,
    kindRequired: KIND_REQUIRED,
    weight: WEIGHT,
    fieldRequired: FIELD_REQUIRED,
    valueRequired: VALUE_REQUIRED,
    rolesRequired: ROLES_REQUIRED,
    minCount: MIN_COUNT,
    window: WINDOW,
    callSeconds: CALL_SECONDS,
    sortOrder: SORT_ORDER,
    json: JSON_INVALID,
};
