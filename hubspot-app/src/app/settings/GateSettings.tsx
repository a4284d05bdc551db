// Entry point of the settings page (settings-hsmeta.json): the gate designer and analytics.
import React from 'react';
import { hubspot } from '@hubspot/ui-extensions';
import { companionRequest } from '../cards/companion.ts';
import { GateDesigner } from './GateDesigner.tsx';

hubspot.extend<'settings'>(() => <GateDesigner request={companionRequest} />);
