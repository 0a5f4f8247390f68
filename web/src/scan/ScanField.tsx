/**
 * The scan input of every phone screen: a big field that keyboard-wedge scanners type into (Enter
 * submits; Ctrl+] types GS), a camera button, and the visual state of the last scan (green: taken,
 * amber: saved offline, red: refused) with the same state as sound and vibration.
 * A wedge scan while the focus is elsewhere (a button) is caught too.
 */
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type KeyboardEvent } from 'react';
import { Button, Input, type InputRef } from 'antd';
import { CameraOutlined, SoundOutlined, MutedOutlined } from '@ant-design/icons';
import { translate, useI18n } from '../i18n';
import { CameraScanner } from './CameraScanner';
import { isMuted, setMuted, signal } from './feedback';
import { GS } from './gs1.js';
import { isEditable, WedgeBuffer } from './wedge.js';

export type ScanState = { kind: 'idle' | 'ok' | 'error' | 'queued' | 'busy'; message?: string };

export interface ScanFieldHandle {
  focus(): void;
}

export interface ScanFieldProps {
  onScan(text: string): void;
  state?: ScanState;
  placeholder?: string;
  /** Test id of the input (e2e tests type into it). */
  testId?: string;
}

const COLORS: Record<ScanState['kind'], { bg: string; border: string; fg: string }> = {
  idle: { bg: '#fafafa', border: '#d9d9d9', fg: '#595959' },
  busy: { bg: '#e6f4ff', border: '#91caff', fg: '#0958d9' },
  ok: { bg: '#f6ffed', border: '#52c41a', fg: '#237804' },
  queued: { bg: '#fffbe6', border: '#faad14', fg: '#ad6800' },
  error: { bg: '#fff1f0', border: '#ff4d4f', fg: '#a8071a' },
};

const SQUARE = { width: 40, minWidth: 40, paddingInline: 0, flex: 'none' } as const;

/** Feedback for a state, once per new state (the screens only set the state). */
export function feedbackFor(state: ScanState): void {
  if (state.kind === 'ok' || state.kind === 'error' || state.kind === 'queued') signal(state.kind);
}

export const ScanField = forwardRef<ScanFieldHandle, ScanFieldProps>(function ScanField({ onScan, state = { kind: 'idle' }, placeholder, testId = 'scan-input' }, ref) {
  const { t } = useI18n();
  const input = useRef<InputRef>(null);
  const [value, setValue] = useState('');
  const [camera, setCamera] = useState(false);
  const [keyboard, setKeyboard] = useState(false);
  const [muted, setMutedState] = useState(isMuted());
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;

  useImperativeHandle(ref, () => ({ focus: () => input.current?.focus() }), []);

  useEffect(() => {
    feedbackFor(state);
  }, [state]);

  // A scanner typing while a button (or nothing) has the focus.
  useEffect(() => {
    const buffer = new WedgeBuffer();
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (isEditable(e.target)) return buffer.reset();
      const text = buffer.feed({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, time: e.timeStamp });
      if (text !== undefined) {
        e.preventDefault();
        onScanRef.current(text);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const submit = () => {
    const text = value;
    if (text.trim() === '') return;
    setValue('');
    onScanRef.current(text);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      submit();
    } else if (e.ctrlKey && (e.key === ']' || e.code === 'BracketRight')) {
      // HID scanners send FNC1/GS as Ctrl+]: keep it in the text for the GS1 parser.
      e.preventDefault();
      setValue((v) => v + GS);
    }
  };

  const colors = COLORS[state.kind];
  return (
    <div className="ck-scan">
      <div style={{ display: 'flex', gap: 8 }}>
        <Input
          ref={input}
          style={{ flex: 1, minWidth: 0 }}
          size="large"
          autoFocus
          value={value.replace(new RegExp(GS, 'g'), '␝')}
          onChange={(e) => setValue(e.target.value.replace(/␝/g, GS))}
          onKeyDown={onKeyDown}
          placeholder={placeholder ?? t('scan.placeholder')}
          inputMode={keyboard ? 'text' : 'none'}
          autoComplete="off"
          autoCorrect="off"
          autoCapitalize="off"
          spellCheck={false}
          enterKeyHint="done"
          data-testid={testId}
          aria-label={placeholder ?? t('scan.placeholder')}
        />
        <Button size="large" style={SQUARE} icon={<CameraOutlined />} aria-label={t('scan.camera')} type={camera ? 'primary' : 'default'} onClick={() => setCamera((c) => !c)} data-testid="camera-button" />
        <Button size="large" style={SQUARE} aria-label={t('scan.keyboard')} type={keyboard ? 'primary' : 'default'} onClick={() => { setKeyboard((k) => !k); input.current?.focus(); }}>⌨</Button>
        <Button
          size="large"
          style={SQUARE}
          aria-label={t('scan.mute')}
          icon={muted ? <MutedOutlined /> : <SoundOutlined />}
          onClick={() => { setMuted(!muted); setMutedState(!muted); }}
        />
      </div>
      {camera && (
        <div style={{ marginTop: 8 }}>
          <CameraScanner onScan={(text) => onScanRef.current(text)} onClose={() => setCamera(false)} />
        </div>
      )}
      <div
        role="status"
        aria-live="assertive"
        data-testid="scan-status"
        data-state={state.kind}
        style={{ marginTop: 8, minHeight: 44, padding: '10px 12px', borderRadius: 8, border: `2px solid ${colors.border}`, background: colors.bg, color: colors.fg, fontSize: 16, fontWeight: 500, transition: 'background 0.2s' }}
      >
        {state.message ?? '\u00a0'}
      </div>
    </div>
  );
});

/** The message for a GS1 error code, in the user's language, with the parser's detail. */
export function gs1ErrorMessage(code: string, detail: string): string {
  return `${translate(`scan.gs1.${code}`)}: ${detail}`;
}
