// The alarms that wake the service worker: the periodic bundle refresh, the retry of audit
// delivery after a failure (the in-worker timer does not survive the worker), and the
// hourly question whether the daily status event is due (status-report.js).

export const REFRESH_ALARM = "draftguard-refresh";
export const AUDIT_ALARM = "draftguard-audit-retry";
export const STATUS_ALARM = "draftguard-status";
export const STATUS_CHECK_MINUTES = 60;

/**
 * Sets the refresh alarm to every `minutes`, or clears it when `minutes` is null. An alarm
 * that already has this period is left alone, so a worker restart does not push it back.
 * @param {typeof chrome.alarms} alarms
 * @param {number | null} minutes
 */
export async function scheduleRefresh(alarms, minutes) {
  const existing = await alarms.get(REFRESH_ALARM);
  if (minutes == null) {
    if (existing) await alarms.clear(REFRESH_ALARM);
    return;
  }
  if (existing?.periodInMinutes === minutes) return;
  await alarms.create(REFRESH_ALARM, { delayInMinutes: minutes, periodInMinutes: minutes });
}

/**
 * Wakes the worker at `when` (ms since the epoch) to retry audit delivery.
 * @param {typeof chrome.alarms} alarms
 * @param {number} when
 */
export function scheduleAuditRetry(alarms, when) {
  return alarms.create(AUDIT_ALARM, { when });
}

/**
 * Sets the hourly status check, unless it is already set (a worker restart keeps its
 * schedule; Firefox, which forgets alarms when it quits, gets it again at start).
 * @param {typeof chrome.alarms} alarms
 */
export async function scheduleStatusChecks(alarms) {
  const existing = await alarms.get(STATUS_ALARM);
  if (existing?.periodInMinutes === STATUS_CHECK_MINUTES) return;
  await alarms.create(STATUS_ALARM, { delayInMinutes: STATUS_CHECK_MINUTES, periodInMinutes: STATUS_CHECK_MINUTES });
}
