// Error texts in both languages the service speaks. DRS formats its messages from templates
// like "The %s parameter is empty.", so each entry is a function of the field it names.
import type { Language } from "../api/wire";

type Template = (detail: string) => string;

interface Entry {
  en: Template;
  zh: Template;
}

export const MESSAGES = {
  "DRS.M00007": {
    en: (d) => `Invalid parameter: ${d}.`,
    zh: (d) => `参数无效：${d}。`,
  },
  "DRS.M00201": {
    en: (d) => `The ${d} parameter is empty.`,
    zh: (d) => `参数${d}为空。`,
  },
  "DRS.M00202": {
    en: (d) => `The ${d} parameter value is invalid.`,
    zh: (d) => `参数${d}的值无效。`,
  },
  "DRS.M00210": {
    en: (d) => `Invalid page: ${d}.`,
    zh: (d) => `页码无效：${d}。`,
  },
  "DRS.M00211": {
    en: (d) => `The page size is over the limit: ${d}.`,
    zh: (d) => `每页数量超出限制：${d}。`,
  },
  "DRS.M00261": {
    en: (d) => `Invalid project ID: ${d}.`,
    zh: (d) => `项目ID无效：${d}。`,
  },
  "DRS.M00289": {
    en: () => "The job does not exist.",
    zh: () => "任务不存在。",
  },
  "DRS.M05004": {
    en: () => "The job has been deleted.",
    zh: () => "任务已删除。",
  },
  "DRS.M00100": {
    en: () => "Invalid token.",
    zh: () => "无效的token。",
  },
  "DRS.M00102": {
    en: () => "Insufficient permission.",
    zh: () => "权限不足。",
  },
  "DRS.M00002": {
    en: () => "Empty result.",
    zh: () => "结果为空。",
  },
  "DRS.M00004": {
    en: () => "Service abnormal.",
    zh: () => "服务异常。",
  },
  "APIG.0101": {
    en: (d) => `The API does not exist or has not been published in the environment: ${d}.`,
    zh: (d) => `API不存在或未在环境中发布：${d}。`,
  },
  "APIG.0201": {
    en: (d) => `Request entity too large: ${d}.`,
    zh: (d) => `请求体过大：${d}。`,
  },
  "APIG.0202": {
    en: () => "Backend unavailable.",
    zh: () => "后端不可用。",
  },
  "APIG.0203": {
    en: () => "Backend timeout.",
    zh: () => "后端超时。",
  },
  "APIG.0301": {
    en: (d) => `Incorrect IAM authentication information: ${d}.`,
    zh: (d) => `IAM认证信息错误：${d}。`,
  },
  "APIG.0303": {
    en: (d) => `Incorrect app authentication information: ${d}.`,
    zh: (d) => `APP认证信息错误：${d}。`,
  },
  "APIG.0308": {
    en: () => "The throttling threshold has been reached: policy user over ratelimit.",
    zh: () => "已达到流控阈值：用户请求超过流控限制。",
  },
  "APIG.1002": {
    en: (d) => `Incorrect token or token resolution failed: ${d}.`,
    zh: (d) => `token错误或解析失败：${d}。`,
  },
} satisfies Record<string, Entry>;

export type MessageCode = keyof typeof MESSAGES;

export function message(code: MessageCode, language: Language, detail = ""): string {
  const text = MESSAGES[code][language === "zh-cn" ? "zh" : "en"](detail);
  // Without a detail, "Invalid parameter: ." reads as a bug; drop the dangling colon.
  return detail === "" ? text.replace(/[:：] ?([.。])$/, "$1") : text;
}

/** A catalogue text for a code a timeline or fault names, or undefined for a code we lack. */
export function knownMessage(code: string, language: Language): string | undefined {
  return code in MESSAGES ? message(code as MessageCode, language) : undefined;
}

/** The body a fault with only an HTTP status answers, picked to match the real gateway. */
export function defaultFaultCode(status: number): string {
  const byStatus: Record<number, string> = {
    400: "DRS.M00007",
    401: "APIG.1002",
    403: "DRS.M00102",
    404: "APIG.0101",
    413: "APIG.0201",
    422: "DRS.M00004",
    429: "APIG.0308",
    500: "DRS.M00004",
    502: "APIG.0202",
    503: "APIG.0202",
    504: "APIG.0203",
  };
  return byStatus[status] ?? (status >= 500 ? "DRS.M00004" : "DRS.M00007");
}
