// Entry point of the deal card (deal-gate-hsmeta.json): the deal's record id from HubSpot's context.
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { companionRequest } from './companion.ts';
import { DealGate } from './DealGate.tsx';

hubspot.extend<'crm.record.tab'>(({ context }) => <DealGate dealId={String(context.crm.objectId)} request={companionRequest} />);
