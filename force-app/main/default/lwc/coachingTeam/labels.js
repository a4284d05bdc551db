// The labels the team coaching card shows.
import TITLE from '@salesforce/label/c.Stagecraft_Coaching_Team_Title';
import COVERAGE from '@salesforce/label/c.Stagecraft_Coaching_Coverage';
import COVERAGE_TEAM from '@salesforce/label/c.Stagecraft_Coaching_Coverage_Team';
import REP from '@salesforce/label/c.Stagecraft_Coaching_Rep';
import OPEN_DEALS from '@salesforce/label/c.Stagecraft_Coaching_Open_Deals';
import INSPECTED from '@salesforce/label/c.Stagecraft_Coaching_Inspected';
import SHARE from '@salesforce/label/c.Stagecraft_Coaching_Share';
import GOALS from '@salesforce/label/c.Stagecraft_Coaching_Goals';
import NO_GOALS from '@salesforce/label/c.Stagecraft_Coaching_No_Goals';
import GOAL_LINE from '@salesforce/label/c.Stagecraft_Coaching_Goal_Line';
import PER_WEEK from '@salesforce/label/c.Stagecraft_Coaching_Per_Week';
import ON_TARGET from '@salesforce/label/c.Stagecraft_Coaching_On_Target';
import BEHIND from '@salesforce/label/c.Stagecraft_Coaching_Behind';
import NOT_COUNTED from '@salesforce/label/c.Stagecraft_Coaching_Not_Counted';
import NOT_MEASURED from '@salesforce/label/c.Stagecraft_Coaching_Not_Measured';
import SET_GOAL from '@salesforce/label/c.Stagecraft_Coaching_Set_Goal';
import GOAL_NAME from '@salesforce/label/c.Stagecraft_Coaching_Goal_Name';
import BEHAVIOUR from '@salesforce/label/c.Stagecraft_Coaching_Behaviour';
import TARGET from '@salesforce/label/c.Stagecraft_Coaching_Target';
import START from '@salesforce/label/c.Stagecraft_Coaching_Start';
import END from '@salesforce/label/c.Stagecraft_Coaching_End';
import GOAL_SAVED from '@salesforce/label/c.Stagecraft_Coaching_Goal_Saved';
import SAVE_FAILED from '@salesforce/label/c.Stagecraft_Coaching_Save_Failed';
import PLANS from '@salesforce/label/c.Stagecraft_Coaching_Plans';
import NO_PLANS from '@salesforce/label/c.Stagecraft_Coaching_No_Plans';
import PLAN from '@salesforce/label/c.Stagecraft_Coaching_Plan';
import SIGNAL from '@salesforce/label/c.Stagecraft_Coaching_Signal';
import BASELINE from '@salesforce/label/c.Stagecraft_Coaching_Baseline';
import NOW from '@salesforce/label/c.Stagecraft_Coaching_Now';
import VERDICT from '@salesforce/label/c.Stagecraft_Coaching_Verdict';
import REVIEW_DATE from '@salesforce/label/c.Stagecraft_Coaching_Review_Date';
import MOVED from '@salesforce/label/c.Stagecraft_Coaching_Moved';
import NOT_MOVED from '@salesforce/label/c.Stagecraft_Coaching_Not_Moved';
import TOO_EARLY from '@salesforce/label/c.Stagecraft_Coaching_Too_Early';
import CLOSED from '@salesforce/label/c.Stagecraft_Coaching_Closed';
import PEERS from '@salesforce/label/c.Stagecraft_Coaching_Peers';
import PEER_LINE from '@salesforce/label/c.Stagecraft_Coaching_Peer_Line';
import NO_PEER from '@salesforce/label/c.Stagecraft_Coaching_No_Peer';
import MEANINGFUL from '@salesforce/label/c.Stagecraft_Coaching_Goal_Meaningful';
import EXECUTIVE from '@salesforce/label/c.Stagecraft_Coaching_Goal_Executive';
import NEXT_STEPS from '@salesforce/label/c.Stagecraft_Coaching_Goal_Next_Steps';
import NOT_COUNTED_PASTED from '@salesforce/label/c.Stagecraft_Coaching_Not_Counted_Pasted';
import WIN_RATES from '@salesforce/label/c.Stagecraft_Coaching_Win_Rates';
import WIN_INSPECTED from '@salesforce/label/c.Stagecraft_Coaching_Win_Inspected';
import WIN_NOT_INSPECTED from '@salesforce/label/c.Stagecraft_Coaching_Win_Not_Inspected';
import WIN_COUNTS from '@salesforce/label/c.Stagecraft_Coaching_Win_Counts';
import INTERVAL from '@salesforce/label/c.Stagecraft_Coaching_Interval';
import RATIO from '@salesforce/label/c.Stagecraft_Coaching_Ratio';
import RATIO_CHANCE from '@salesforce/label/c.Stagecraft_Coaching_Ratio_Chance';
import NOT_ENOUGH from '@salesforce/label/c.Stagecraft_Coaching_Not_Enough';
import LOADING from '@salesforce/label/c.Stagecraft_Loading';

export const LABELS = {
    title: TITLE,
    coverage: COVERAGE,
    coverageTeam: COVERAGE_TEAM,
    rep: REP,
    openDeals: OPEN_DEALS,
    inspected: INSPECTED,
    share: SHARE,
    goals: GOALS,
    noGoals: NO_GOALS,
    goalLine: GOAL_LINE,
    perWeek: PER_WEEK,
    onTarget: ON_TARGET,
    behind: BEHIND,
    notCounted: NOT_COUNTED,
    notCountedPasted: NOT_COUNTED_PASTED,
    notMeasured: NOT_MEASURED,
    setGoal: SET_GOAL,
    goalName: GOAL_NAME,
    behaviour: BEHAVIOUR,
    target: TARGET,
    start: START,
    end: END,
    goalSaved: GOAL_SAVED,
    saveFailed: SAVE_FAILED,
    plans: PLANS,
    noPlans: NO_PLANS,
    plan: PLAN,
    signal: SIGNAL,
    baseline: BASELINE,
    now: NOW,
    verdict: VERDICT,
    reviewDate: REVIEW_DATE,
    closed: CLOSED,
    peers: PEERS,
    peerLine: PEER_LINE,
    noPeer: NO_PEER,
    winRates: WIN_RATES,
    winInspected: WIN_INSPECTED,
    winNotInspected: WIN_NOT_INSPECTED,
    winCounts: WIN_COUNTS,
    interval: INTERVAL,
    ratio: RATIO,
    ratioChance: RATIO_CHANCE,
    notEnough: NOT_ENOUGH,
    loading: LOADING,
};

/** The Verdict__c values in words. */
export const VERDICT_LABELS = { Moved: MOVED, Not_Moved: NOT_MOVED, Too_Early: TOO_EARLY };
/** The behaviours a goal can count (Team_Goal__c.Signal__c), in words. */
export const GOAL_SIGNAL_LABELS = { meaningfulConversations: MEANINGFUL, executiveConversations: EXECUTIVE, nextStepsScheduled: NEXT_STEPS };
