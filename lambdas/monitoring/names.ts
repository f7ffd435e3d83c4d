/** Names shared by the monitor and the stack's alarm (kept apart so the CDK app imports no SDK). */
export const MONITOR_SERVICE = 'hotline-monitor';
export const OLDEST_OPEN_METRIC = 'OldestOpenCallbackAge';
