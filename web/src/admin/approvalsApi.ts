/** Types and calls of the approvals API (docs/approvals.md). */
export type DocType = 'purchase-order' | 'inventory-adjustment' | 'scrap';
export const DOC_TYPES: DocType[] = ['purchase-order', 'inventory-adjustment', 'scrap'];
export const BUILT_IN_ROLES = ['admin', 'manager', 'purchaser', 'sales', 'clerk', 'finance', 'viewer'];

export interface InboxItem {
  approval: number; documentType: DocType; documentId: number; documentNumber: string; flowName: string; step: number; stepName: string; mode: 'any' | 'all';
  signed: number; needed: number; amount: number | null; warehouse: string; categories: string[]; submittedBy: string; submittedAt: string; asSelf: boolean; onBehalfOf: string[];
}
export interface Approval {
  id: number; documentType: DocType; documentId: number; documentNumber: string; flowId: number; flowName: string; status: 'pending' | 'approved' | 'rejected' | 'cancelled';
  currentStep: number | null; fields: { amount: number | null; warehouse: string; categories: string[] };
  steps: Array<{ step: number; name: string; mode: 'any' | 'all'; state: string; approvers: Array<{ user?: string; role?: string; signedBy: string | null; onBehalfOf: string | null }> }>;
  decisions: Array<{ step: number; decision: 'approve' | 'reject' | 'withdraw'; by: string; onBehalfOf: string | null; reason: string | null; at: string }>;
  requestedBy: string; submittedBy: string; submittedAt: string; completedAt: string | null; rejectionReason: string | null;
}
export interface Conditions { amountAtLeast?: number; amountAtMost?: number; warehouses?: string[]; categories?: string[] }
export interface Flow {
  id: number; documentType: DocType; name: string; priority: number; active: boolean; conditions: Conditions;
  steps: Array<{ name: string; mode: 'any' | 'all'; approvers: Array<{ user?: string; role?: string }>; condition: Conditions | null }>;
}
export interface Delegation { id: number; from: string; to: string; startsOn: string; endsOn: string; note: string | null; active: boolean; createdAt: string; revokedAt: string | null }
