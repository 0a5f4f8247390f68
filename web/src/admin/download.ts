/** Download a file from the API with the session's token (never put into a URL). */
import { ApiError, apiUrl, authHeaders, type Problem, type RequestOptions } from '../api/client';

export async function downloadFile(path: string, query?: RequestOptions['query'], fallbackName = 'download'): Promise<void> {
  const response = await fetch(apiUrl(path, query), { headers: authHeaders() });
  if (!response.ok) {
    const text = await response.text();
    let problem: Problem;
    try {
      problem = JSON.parse(text) as Problem;
    } catch {
      problem = { type: `urn:cangku:problem:http-${response.status}`, title: response.statusText, status: response.status, detail: text };
    }
    throw new ApiError(problem);
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const match = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(disposition);
  const name = match ? decodeURIComponent(match[1] ?? match[2] ?? fallbackName) : fallbackName;
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
