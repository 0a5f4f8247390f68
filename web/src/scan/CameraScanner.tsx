/**
 * Scanning with the phone's camera: the browser's BarcodeDetector where it exists (Chrome on
 * Android, fast, native), else the zxing JS decoder (iOS Safari, Firefox, desktop), loaded only
 * when the camera is opened. Both report GS1 FNC1 as ASCII 29 (zxing: ]C1 for GS1-128 with the
 * ASSUME_GS1 hint), which the GS1 parser reads.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Button } from 'antd';
import { translate } from '../i18n';

interface DetectedBarcode { rawValue: string; format: string }
interface BarcodeDetectorLike { detect(source: CanvasImageSource): Promise<DetectedBarcode[]> }
interface BarcodeDetectorCtor {
  new (options?: { formats?: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

const WANTED = ['code_128', 'qr_code', 'data_matrix', 'ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_39', 'itf'];
/** The same code seen again within this time is the same scan (the camera sees it every frame). */
const REPEAT_MS = 1500;

export interface CameraScannerProps {
  onScan(text: string, source: 'barcode-detector' | 'zxing'): void;
  onClose(): void;
}

async function nativeDetector(): Promise<BarcodeDetectorLike | undefined> {
  const Ctor = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Ctor) return undefined;
  try {
    const supported = (await Ctor.getSupportedFormats?.()) ?? WANTED;
    const formats = WANTED.filter((f) => supported.includes(f));
    return formats.length ? new Ctor({ formats }) : undefined;
  } catch {
    return undefined;
  }
}

export function CameraScanner({ onScan, onClose }: CameraScannerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  const [engine, setEngine] = useState<'barcode-detector' | 'zxing'>();
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;

  useEffect(() => {
    let stopped = false;
    let cleanup: (() => void) | undefined;
    let last = { text: '', at: 0 };
    const report = (text: string, source: 'barcode-detector' | 'zxing') => {
      const now = Date.now();
      if (text === last.text && now - last.at < REPEAT_MS) return;
      last = { text, at: now };
      onScanRef.current(text, source);
    };
    (async () => {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error(translate('scan.camera.unsupported'));
      const detector = await nativeDetector();
      if (stopped) return;
      if (detector) {
        setEngine('barcode-detector');
        const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
        if (stopped) return stream.getTracks().forEach((t) => t.stop());
        const el = video.current!;
        el.srcObject = stream;
        await el.play();
        let timer: ReturnType<typeof setTimeout>;
        const tick = async () => {
          if (stopped) return;
          try {
            if (el.readyState >= 2) for (const code of await detector.detect(el)) report(code.rawValue, 'barcode-detector');
          } catch {
            /* a frame the detector could not read */
          }
          timer = setTimeout(tick, 120);
        };
        void tick();
        cleanup = () => {
          clearTimeout(timer);
          stream.getTracks().forEach((t) => t.stop());
        };
        return;
      }
      setEngine('zxing');
      const [{ BrowserMultiFormatReader }, { BarcodeFormat, DecodeHintType }] = await Promise.all([import('@zxing/browser'), import('@zxing/library')]);
      const hints = new Map<number, unknown>([
        [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE, BarcodeFormat.DATA_MATRIX, BarcodeFormat.EAN_13, BarcodeFormat.EAN_8, BarcodeFormat.UPC_A, BarcodeFormat.CODE_39, BarcodeFormat.ITF]],
        [DecodeHintType.ASSUME_GS1, true], // GS1-128: ]C1 in front, FNC1 as GS
        [DecodeHintType.TRY_HARDER, true],
      ]);
      const reader = new BrowserMultiFormatReader(hints as Map<never, unknown>);
      if (stopped) return;
      const controls = await reader.decodeFromConstraints({ video: { facingMode: { ideal: 'environment' } }, audio: false }, video.current!, (result) => {
        if (result) report(result.getText(), 'zxing');
      });
      if (stopped) controls.stop();
      else cleanup = () => controls.stop();
    })().catch((e: Error) => {
      if (!stopped) setError(e.name === 'NotAllowedError' ? translate('scan.camera.denied') : e.message || translate('scan.camera.unsupported'));
    });
    return () => {
      stopped = true;
      cleanup?.();
    };
  }, []);

  return (
    <div className="ck-camera" data-testid="camera-scanner" data-engine={engine ?? ''}>
      {error ? <Alert type="error" showIcon title={error} /> : <video ref={video} muted playsInline style={{ width: '100%', maxHeight: '45vh', background: '#000', borderRadius: 8, objectFit: 'cover' }} />}
      <Button block onClick={onClose} style={{ marginTop: 8 }}>{translate('scan.camera.close')}</Button>
    </div>
  );
}
