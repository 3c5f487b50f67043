export { Button } from "./Button";
export { Field } from "./Field";
export { ConfirmDialog } from "./ConfirmDialog";
export { Badge, EmptyState, ErrorState, Loading, Notice, PageHeader, errorMessage } from "./States";
export { TableScroll } from "./TableScroll";
export { Pager } from "./Pager";
