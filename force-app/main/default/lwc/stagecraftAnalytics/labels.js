// The labels of the analytics page.
import TITLE from '@salesforce/label/c.Stagecraft_Analytics_Title';
import COMPUTED_BY_COMPANION from '@salesforce/label/c.Stagecraft_Analytics_Computed_By_Companion';
import SUMMARY from '@salesforce/label/c.Stagecraft_Analytics_Summary';
import EMPTY from '@salesforce/label/c.Stagecraft_Analytics_Empty';
import CAPTION from '@salesforce/label/c.Stagecraft_Analytics_Caption';
import MILESTONE from '@salesforce/label/c.Stagecraft_Analytics_Milestone';
import GATE from '@salesforce/label/c.Stagecraft_Analytics_Gate';
import LIFT from '@salesforce/label/c.Stagecraft_Designer_Lift_Heading';
import WIN_RATE_MET from '@salesforce/label/c.Stagecraft_Designer_Win_Rate_Met';
import WIN_RATE_MISSED from '@salesforce/label/c.Stagecraft_Designer_Win_Rate_Missed';
import SAMPLE_SIZE from '@salesforce/label/c.Stagecraft_Analytics_Sample_Size';
import PREDICTIVE from '@salesforce/label/c.Stagecraft_Analytics_Predictive';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';
import YES from '@salesforce/label/c.Stagecraft_Yes';
import NO from '@salesforce/label/c.Stagecraft_No';

export const LABELS = {
    title: TITLE,
    computedByCompanion: COMPUTED_BY_COMPANION,
    summary: SUMMARY,
    empty: EMPTY,
    caption: CAPTION,
    milestone: MILESTONE,
    gate: GATE,
    lift: LIFT,
    winRateMet: WIN_RATE_MET,
    winRateMissed: WIN_RATE_MISSED,
    sampleSize: SAMPLE_SIZE,
    predictive: PREDICTIVE,
    loading: LOADING,
    yes: YES,
    no: NO,
};
