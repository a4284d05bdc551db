// The labels the deal inspection card shows.
import TITLE from '@salesforce/label/c.Stagecraft_Inspection_Title';
import LAST from '@salesforce/label/c.Stagecraft_Inspection_Last';
import NEVER from '@salesforce/label/c.Stagecraft_Inspection_Never';
import QUESTIONS from '@salesforce/label/c.Stagecraft_Inspection_Questions';
import ANSWER from '@salesforce/label/c.Stagecraft_Inspection_Answer';
import ANSWER_HELP from '@salesforce/label/c.Stagecraft_Inspection_Answer_Help';
import MARK from '@salesforce/label/c.Stagecraft_Inspection_Mark';
import MARKED from '@salesforce/label/c.Stagecraft_Inspection_Marked';
import FAILED from '@salesforce/label/c.Stagecraft_Inspection_Failed';
import CHOOSE_QUESTION from '@salesforce/label/c.Stagecraft_Inspection_Choose_Question';
import NOTE_ANSWER from '@salesforce/label/c.Stagecraft_Inspection_Note_Answer';
import HISTORY from '@salesforce/label/c.Stagecraft_Inspection_History';
import NONE_YET from '@salesforce/label/c.Stagecraft_Inspection_None_Yet';
import Q_METRICS from '@salesforce/label/c.Stagecraft_Inspection_Q_Metrics';
import Q_BUYER from '@salesforce/label/c.Stagecraft_Inspection_Q_Buyer';
import Q_CRITERIA from '@salesforce/label/c.Stagecraft_Inspection_Q_Criteria';
import Q_NEXT_STEP from '@salesforce/label/c.Stagecraft_Inspection_Q_Next_Step';
import Q_ADVANCED from '@salesforce/label/c.Stagecraft_Inspection_Q_Advanced';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';

export const LABELS = {
    title: TITLE,
    last: LAST,
    never: NEVER,
    questions: QUESTIONS,
    answer: ANSWER,
    answerHelp: ANSWER_HELP,
    mark: MARK,
    marked: MARKED,
    failed: FAILED,
    chooseQuestion: CHOOSE_QUESTION,
    noteAnswer: NOTE_ANSWER,
    history: HISTORY,
    noneYet: NONE_YET,
    loading: LOADING,
};

/** The questions every inspection can ask, whatever the stage: the source's test of a real advance comes last. */
export const STANDARD_QUESTIONS = [Q_METRICS, Q_BUYER, Q_CRITERIA, Q_NEXT_STEP, Q_ADVANCED];
