// What every card and the settings page show when the companion does not answer: its one-line message and a retry.
import React from 'react';
import { Button, ErrorState, Text } from '@hubspot/ui-extensions';

export const CompanionError = ({ message, onRetry }: { message: string; onRetry: () => void }) => (
  <ErrorState title="Stagecraft could not answer">
    <Text>{message}</Text>
    <Button onClick={onRetry}>Try again</Button>
  </ErrorState>
);
