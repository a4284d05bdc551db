// The labels the scorecard shows.
import TITLE from '@salesforce/label/c.Stagecraft_Scorecard_Title';
import NOT_SCORED from '@salesforce/label/c.Stagecraft_Scorecard_Not_Scored';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';
import AS_OF from '@salesforce/label/c.Stagecraft_As_Of';
import BEHAVIOUR_SCORE from '@salesforce/label/c.Stagecraft_Scorecard_Behaviour_Score';
import PERIOD from '@salesforce/label/c.Stagecraft_Scorecard_Period';
import PEER_GROUP from '@salesforce/label/c.Stagecraft_Scorecard_Peer_Group';
import PEERS_TOO_SMALL from '@salesforce/label/c.Stagecraft_Scorecard_Peers_Too_Small';
import COMPETENCIES from '@salesforce/label/c.Stagecraft_Scorecard_Competencies';
import COMPETENCY from '@salesforce/label/c.Stagecraft_Scorecard_Competency';
import SCORE from '@salesforce/label/c.Stagecraft_Scorecard_Score';
import PEER_MEDIAN from '@salesforce/label/c.Stagecraft_Scorecard_Peer_Median';
import LEGEND from '@salesforce/label/c.Stagecraft_Scorecard_Legend';
import SIGNALS from '@salesforce/label/c.Stagecraft_Scorecard_Signals';
import SIGNAL from '@salesforce/label/c.Stagecraft_Scorecard_Signal';
import VALUE from '@salesforce/label/c.Stagecraft_Scorecard_Value';
import WEIGHT from '@salesforce/label/c.Stagecraft_Scorecard_Weight';
import CONTRIBUTION from '@salesforce/label/c.Stagecraft_Scorecard_Contribution';
import TREND from '@salesforce/label/c.Stagecraft_Scorecard_Trend';
import DIAGNOSIS from '@salesforce/label/c.Stagecraft_Scorecard_Diagnosis';
import FOCUS from '@salesforce/label/c.Stagecraft_Scorecard_Focus';
import QUESTIONS from '@salesforce/label/c.Stagecraft_Scorecard_Questions';
import FLAGS from '@salesforce/label/c.Stagecraft_Scorecard_Flags';
import COMPARISONS from '@salesforce/label/c.Stagecraft_Scorecard_Comparisons';
import ATTAINMENT from '@salesforce/label/c.Stagecraft_Scorecard_Attainment';
import OF_QUOTA from '@salesforce/label/c.Stagecraft_Scorecard_Attainment_Of_Quota';
import WON from '@salesforce/label/c.Stagecraft_Scorecard_Won';
import SELF_GENERATED from '@salesforce/label/c.Stagecraft_Scorecard_Self_Generated';
import INHERITED from '@salesforce/label/c.Stagecraft_Scorecard_Inherited';
import PIPELINE_BUILT from '@salesforce/label/c.Stagecraft_Scorecard_Pipeline_Built';
import DEALS from '@salesforce/label/c.Stagecraft_Scorecard_Deals';
import ACTIVITIES from '@salesforce/label/c.Stagecraft_Scorecard_Activities';
import TREND_AXIS from '@salesforce/label/c.Stagecraft_Scorecard_Trend_Axis';
import TREND_WEEKS from '@salesforce/label/c.Stagecraft_Scorecard_Trend_Weeks';
import SKILL from '@salesforce/label/c.Stagecraft_Diagnosis_Skill';
import WILL from '@salesforce/label/c.Stagecraft_Diagnosis_Will';
import PROCESS from '@salesforce/label/c.Stagecraft_Diagnosis_Process';
import CIRCUMSTANCE from '@salesforce/label/c.Stagecraft_Diagnosis_Circumstance';
import NONE from '@salesforce/label/c.Stagecraft_Diagnosis_None';

export const LABELS = {
    title: TITLE,
    notScored: NOT_SCORED,
    loading: LOADING,
    asOf: AS_OF,
    behaviourScore: BEHAVIOUR_SCORE,
    period: PERIOD,
    peerGroup: PEER_GROUP,
    peersTooSmall: PEERS_TOO_SMALL,
    competencies: COMPETENCIES,
    competency: COMPETENCY,
    score: SCORE,
    peerMedian: PEER_MEDIAN,
    legend: LEGEND,
    signals: SIGNALS,
    signal: SIGNAL,
    value: VALUE,
    weight: WEIGHT,
    contribution: CONTRIBUTION,
    trend: TREND,
    diagnosis: DIAGNOSIS,
    focus: FOCUS,
    questions: QUESTIONS,
    flags: FLAGS,
    comparisons: COMPARISONS,
    attainment: ATTAINMENT,
    ofQuota: OF_QUOTA,
    won: WON,
    selfGenerated: SELF_GENERATED,
    inherited: INHERITED,
    pipelineBuilt: PIPELINE_BUILT,
    deals: DEALS,
    activities: ACTIVITIES,
    trendAxis: TREND_AXIS,
    trendWeeks: TREND_WEEKS,
};

export const DIAGNOSIS_LABELS = { Skill: SKILL, Will: WILL, Process: PROCESS, Circumstance: CIRCUMSTANCE, None: NONE };
