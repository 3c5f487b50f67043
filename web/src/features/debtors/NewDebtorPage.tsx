import { useState } from "react";
import { useSingleFlight } from "./singleFlight";
import { Link, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { useSession, type Session } from "../../app/session";
import { Loading, Notice, PageHeader, errorMessage } from "../../ui";
import { useCreateDebtor } from "./api";
import { DebtorForm } from "./DebtorForm";
import { apiFieldErrors, clientErrors } from "./errors";
import { createBody, emptyValues, type FormErrors, type FormValues } from "./form";
import { browserTimeZone, timeZones } from "./timeZones";

export default function NewDebtorPage() {
  const session = useSession();
  // The defaults come from the workspace: wait for it (it is usually cached already) rather than guess.
  if (session.isPending) return <Loading />;
  return <NewDebtor session={session.data ?? null} />;
}

function NewDebtor({ session }: { session: Session | null }) {
  const { t } = useTranslation("debtors");
  const navigate = useNavigate();
  const create = useCreateDebtor();
  // Defaults: the workspace's language and time zone (where most of its customers are), else the browser's.
  const [values, setValues] = useState<FormValues>(() => {
    const zone = session?.workspace.time_zone ?? browserTimeZone();
    return emptyValues({
      locale: session?.workspace.locale,
      time_zone: zone && timeZones().includes(zone) ? zone : "UTC",
    });
  });
  const [errors, setErrors] = useState<FormErrors>({});
  const once = useSingleFlight();

  const submit = () => {
    const found = clientErrors(values, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    once((done) =>
      create.mutate(createBody(values), {
        // Created: the screen is left, so the form stays locked (a second click must not create a twin).
        onSuccess: (debtor) => void navigate(`/debtors/${encodeURIComponent(debtor.id)}`),
        onError: (error) => {
          setErrors(apiFieldErrors(error));
          done();
        },
      }),
    );
  };

  const fieldless =
    create.error && Object.keys(apiFieldErrors(create.error)).length === 0 ? create.error : null;

  return (
    <>
      <PageHeader title={t("new.title")} subtitle={t("new.subtitle")} />
      <div className="card">
        <DebtorForm
          values={values}
          onChange={setValues}
          errors={errors}
          onSubmit={submit}
          submitLabel={t("new.submit")}
          busy={create.isPending}
          message={
            fieldless ? (
              <Notice tone="danger">{errorMessage(fieldless, t("common:error.generic"))}</Notice>
            ) : null
          }
          secondaryAction={
            <Link className="btn" to="/debtors">
              {t("common:actions.cancel")}
            </Link>
          }
        />
      </div>
    </>
  );
}
