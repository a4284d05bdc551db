// The labels one milestone shows.
import STATUS_MET from '@salesforce/label/c.Stagecraft_Milestone_Met';
import STATUS_ATTESTED from '@salesforce/label/c.Stagecraft_Milestone_Attested';
import STATUS_MISSING from '@salesforce/label/c.Stagecraft_Milestone_Missing';
import PENDING from '@salesforce/label/c.Stagecraft_Milestone_Pending';
import REQUIRED from '@salesforce/label/c.Stagecraft_Milestone_Required';
import OPTIONAL from '@salesforce/label/c.Stagecraft_Milestone_Optional';
import REQUIREMENT from '@salesforce/label/c.Stagecraft_Milestone_Requirement';
import EVIDENCE from '@salesforce/label/c.Stagecraft_Milestone_Evidence';
import NO_EVIDENCE from '@salesforce/label/c.Stagecraft_Milestone_No_Evidence';
import GUIDANCE from '@salesforce/label/c.Stagecraft_Milestone_Guidance';
import COACHING_QUESTIONS from '@salesforce/label/c.Stagecraft_Milestone_Coaching_Questions';
import ATTEST from '@salesforce/label/c.Stagecraft_Attest';
import ATTEST_NOTE from '@salesforce/label/c.Stagecraft_Attest_Note';
import ATTEST_NOTE_HELP from '@salesforce/label/c.Stagecraft_Attest_Note_Help';
import ATTEST_NOTE_MISSING from '@salesforce/label/c.Stagecraft_Attest_Note_Missing';
import ATTEST_SUBMIT from '@salesforce/label/c.Stagecraft_Attest_Submit';
import CANCEL from '@salesforce/label/c.Stagecraft_Cancel';
import ATTESTED_TITLE from '@salesforce/label/c.Stagecraft_Attested_Title';
import ATTESTED_MESSAGE from '@salesforce/label/c.Stagecraft_Attested_Message';
import ATTEST_FAILED from '@salesforce/label/c.Stagecraft_Attest_Failed';

export const LABELS = {
    pending: PENDING,
    required: REQUIRED,
    optional: OPTIONAL,
    requirement: REQUIREMENT,
    evidence: EVIDENCE,
    noEvidence: NO_EVIDENCE,
    guidance: GUIDANCE,
    coachingQuestions: COACHING_QUESTIONS,
    attest: ATTEST,
    attestNote: ATTEST_NOTE,
    attestNoteHelp: ATTEST_NOTE_HELP,
    attestNoteMissing: ATTEST_NOTE_MISSING,
    attestSubmit: ATTEST_SUBMIT,
    cancel: CANCEL,
    attestedTitle: ATTESTED_TITLE,
    attestedMessage: ATTESTED_MESSAGE,
    attestFailed: ATTEST_FAILED,
};

export const STATUS_LABELS = { met: STATUS_MET, attested: STATUS_ATTESTED, missing: STATUS_MISSING };
