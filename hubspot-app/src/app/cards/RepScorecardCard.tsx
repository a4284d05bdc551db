// Entry point of the rep scorecard (rep-scorecard-hsmeta.json): the viewing user's own scorecard — the owner's view.
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { companionRequest } from './companion.ts';
import { RepScorecard } from './RepScorecard.tsx';

hubspot.extend<'crm.record.sidebar'>(({ context }) => <RepScorecard repId={String(context.user.id)} request={companionRequest} />);
