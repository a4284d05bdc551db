// Rep_Scorecard__c record page: a manager opens a scorecard from a list view ("Diagnosis: skill", "Below peers on
// executive access") and sees that rep's behaviour scorecard and quarterly review. The User object has no Lightning
// record page, so this is where a manager looks at one rep.
import { LightningElement, api, wire } from 'lwc';
import { getRecord, getFieldValue } from 'lightning/uiRecordApi';
import REP from '@salesforce/schema/Rep_Scorecard__c.Rep__c';

export default class RepScorecardRecord extends LightningElement {
    @api recordId;

    @wire(getRecord, { recordId: '$recordId', fields: [REP] })
    scorecard;

    get repId() {
        return this.scorecard?.data ? getFieldValue(this.scorecard.data, REP) : undefined;
    }

    get error() {
        return this.scorecard?.error;
    }
}
