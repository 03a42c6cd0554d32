import { type Catalogue, fill } from './catalogue.ts';
import { own } from './records.ts';
import type { Bilingual, Lang } from './types.ts';

export type ErrorParam = string | number | Bilingual;

/**
 * Why the queue refused a command. A refusal is a value, not an exception: the caller gets the code
 * and the parameters, and the edge (HTTP, UI) turns them into words with `describeError`.
 */
export const DOMAIN_ERROR_MESSAGES = {
  UNKNOWN_SERVICE: { zh: '没有此业务：{serviceId}', en: 'No such service: {serviceId}' },
  SERVICE_DISABLED: { zh: '{service}暂停办理', en: '{service} is not available now' },
  OUTSIDE_HOURS: {
    zh: '{service}不在办理时间内{opens}',
    en: '{service} is outside its opening hours{opens}',
  },
  DAILY_LIMIT_REACHED: {
    zh: '{service}今日号已取完（共 {limit} 个）',
    en: '{service} has no tickets left today (limit {limit})',
  },
  UNKNOWN_COUNTER: { zh: '没有此窗口：{counterId}', en: 'No such counter: {counterId}' },
  COUNTER_NOT_OPEN: { zh: '{counter}号窗口未开放', en: 'Counter {counter} is not open' },
  COUNTER_PAUSED: { zh: '{counter}号窗口暂停服务中', en: 'Counter {counter} is paused' },
  COUNTER_BUSY: {
    zh: '{counter}号窗口还有 {number} 号未处理完：请先办结，或标记过号',
    en: 'Counter {counter} still has ticket {number}: finish it or mark it a no-show first',
  },
  COUNTER_ALREADY: { zh: '{counter}号窗口已经是此状态', en: 'Counter {counter} is already {status}' },
  NO_TICKET_AT_COUNTER: { zh: '{counter}号窗口当前没有号', en: 'Counter {counter} has no current ticket' },
  TICKET_NOT_CALLED: {
    zh: '{number} 号不在叫号状态',
    en: 'Ticket {number} is not in the called state',
  },
  TICKET_NOT_SERVING: { zh: '{number} 号不在办理中', en: 'Ticket {number} is not being served' },
  NO_WAITING_TICKET: { zh: '没有等候的顾客', en: 'Nobody is waiting for this counter' },
  UNKNOWN_TICKET: { zh: '今天没有 {ticket} 号', en: 'There is no ticket {ticket} today' },
  TICKET_NOT_CALLABLE: {
    zh: '{number} 号当前不能叫（{status}）',
    en: 'Ticket {number} cannot be called now ({status})',
  },
  TICKET_ALREADY_ENDED: { zh: '{number} 号已结束', en: 'Ticket {number} has already ended' },
  TICKET_NOT_FINISHED: {
    zh: '{number} 号尚未办结，不能评价',
    en: 'Ticket {number} is not finished and cannot be rated',
  },
  INVALID_RATING: { zh: '评价须为 1–5 分', en: 'A rating must be 1 to 5' },
  CHECK_IN_REQUIRED: {
    zh: '预约号须通过预约签到取号',
    en: 'Appointment tickets are issued by checking the appointment in',
  },
  ALREADY_RATED: { zh: '{number} 号已评价', en: 'Ticket {number} was already rated' },
  SERVICE_NOT_AT_COUNTER: {
    zh: '{counter}号窗口不办理{service}',
    en: 'Counter {counter} does not serve {service}',
  },
  TRANSFER_TARGET_REQUIRED: {
    zh: '请选择转到的业务或窗口',
    en: 'Choose the service or counter to transfer to',
  },
  DUPLICATE_ID: { zh: '编号重复：{id}', en: 'Duplicate id: {id}' },
  INVALID_ID: { zh: '编号无效：{id}', en: 'Not a valid id: {id}' },
  UNKNOWN_APPOINTMENT: { zh: '预约码无效：{code}', en: 'Unknown appointment code: {code}' },
  APPOINTMENT_TOO_EARLY: {
    zh: '预约时间未到，请于 {comeBackAt} 后再来签到',
    en: 'Too early: please check in from {comeBackAt}',
  },
  APPOINTMENT_EXPIRED: { zh: '此预约已过期', en: 'This appointment has expired' },
  APPOINTMENT_CANCELLED: { zh: '此预约已取消', en: 'This appointment was cancelled' },
  APPOINTMENT_ALREADY_CHECKED_IN: {
    zh: '此预约已签到，号码 {number}',
    en: 'Already checked in, ticket {number}',
  },
  APPOINTMENT_NOT_OFFERED: {
    zh: '{service}不接受预约',
    en: '{service} does not take appointments',
  },
  SLOT_INVALID: {
    zh: '预约时段无效：须在营业时间内、按 {slotMinutes} 分钟对齐、且在将来',
    en: 'Invalid slot: it must be in the future, within opening hours, on a {slotMinutes}-minute boundary',
  },
  SLOT_FULL: { zh: '该时段已约满', en: 'This slot is fully booked' },
  SLOT_TOO_FAR: {
    zh: '只能预约 {days} 天以内的时段',
    en: 'Slots can be booked at most {days} days ahead',
  },
  CODE_IN_USE: { zh: '预约码已被使用', en: 'This appointment code is already in use' },
  INVALID_CONFIG: { zh: '配置无效：{reason}', en: 'Invalid configuration: {reason}' },
  SERVICE_IN_USE: {
    zh: '{service}仍被窗口或等候的号使用',
    en: '{service} is still used by a counter or waiting tickets',
  },
  COUNTER_IN_USE: {
    zh: '{counter}号窗口仍在使用中',
    en: 'Counter {counter} is still in use',
  },
  SAME_BUSINESS_DAY: { zh: '已是当前营业日 {day}', en: 'The business day is already {day}' },
  INVALID_BACK_IN: {
    zh: '预计返回时间须为 1–480 分钟',
    en: 'The expected return must be 1 to 480 minutes away',
  },
} as const satisfies Catalogue;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_MESSAGES;

export interface DomainError {
  code: DomainErrorCode;
  /** Key into the bilingual message catalogue, `error.<CODE>`. */
  messageKey: `error.${DomainErrorCode}`;
  /** Values for the message's placeholders. */
  params: Record<string, ErrorParam>;
}

export function domainError(code: DomainErrorCode, params: Record<string, ErrorParam> = {}): DomainError {
  return { code, messageKey: `error.${code}`, params };
}

/**
 * A refusal in words, in one language. A bilingual parameter (a service name) is taken in that
 * language; an unknown placeholder is left empty rather than shown raw.
 */
export function describeError(error: Pick<DomainError, 'code' | 'params'>, lang: Lang): string {
  const template: string | undefined = own(DOMAIN_ERROR_MESSAGES, error.code)?.[lang];
  if (!template) return error.code;
  return fill(template, error.params, lang);
}
