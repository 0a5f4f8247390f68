/** The administration screens under /admin (users, roles, audit, approvals, webhooks, import). */
import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import './i18n';

const UsersPage = lazy(() => import('./UsersPage'));
const RolesPage = lazy(() => import('./RolesPage'));
const AccountPage = lazy(() => import('./AccountPage'));
const AuditPage = lazy(() => import('./AuditPage'));
const ApprovalsPage = lazy(() => import('./ApprovalsPage'));
const ApprovalDetailPage = lazy(() => import('./ApprovalDetailPage'));
const FlowsPage = lazy(() => import('./FlowsPage'));
const WebhooksPage = lazy(() => import('./WebhooksPage'));
const ImportPage = lazy(() => import('./ImportPage'));

export default function AdminRoutes() {
  return (
    <Routes>
      <Route index element={<Navigate to="account" replace />} />
      <Route path="users" element={<UsersPage />} />
      <Route path="roles" element={<RolesPage />} />
      <Route path="account" element={<AccountPage />} />
      <Route path="change-password" element={<AccountPage forced />} />
      <Route path="audit" element={<AuditPage />} />
      <Route path="approvals" element={<ApprovalsPage />} />
      <Route path="approvals/:id" element={<ApprovalDetailPage />} />
      <Route path="approval-flows" element={<FlowsPage />} />
      <Route path="webhooks" element={<WebhooksPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="*" element={<Navigate to="account" replace />} />
    </Routes>
  );
}
