import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchBlob, post } from '../api.ts';
import { ProblemMessage } from '../ui/problem.tsx';

export interface Exposure {
  exposure_today: number;
  limit: number;
  remaining: number;
  limit_reached: boolean;
  break_prompt: string | null;
}

export interface MediaItem {
  objectType: 'evidence' | 'preserved_content';
  id: string;
  filename: string;
  contentType: string;
  url: string;
}

/**
 * Reviewer welfare: media stays a blurred, greyscale placeholder (no bytes are fetched)
 * until the reviewer reveals it. The reveal goes through the API (recorded, audited and
 * counted), then the bytes load into a blob: URL, greyscale still, audio muted. Only one
 * item is open at a time: opening another closes the first.
 */
export function SafeMedia(props: { caseId: string; item: MediaItem; open: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [url, setUrl] = useState<string | null>(null);
  const [colour, setColour] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { item, open } = props;
  const media = /^(image|video|audio)\//.test(item.contentType);

  useEffect(() => {
    if (!open && url) {
      URL.revokeObjectURL(url);
      setUrl(null);
      setColour(false);
    }
  }, [open, url]);

  const reveal = async () => {
    setError(null);
    try {
      const answer = await post<{ exposure: Exposure | null }>(`/v1/cases/${props.caseId}/reveal`, {
        object_type: item.objectType,
        object_id: item.id,
      });
      if (answer.exposure) client.setQueryData(['exposure'], answer.exposure);
      const blob = await fetchBlob(item.url);
      setUrl(URL.createObjectURL(blob));
      props.onOpen();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <figure className="safe-media" data-testid="safe-media">
      {open && url ? (
        item.contentType.startsWith('image/') ? (
          <img
            src={url}
            alt={item.filename}
            className={colour ? 'revealed' : 'revealed greyscale'}
            data-testid="revealed-image"
          />
        ) : item.contentType.startsWith('video/') ? (
          <video src={url} controls muted className={colour ? '' : 'greyscale'} />
        ) : item.contentType.startsWith('audio/') ? (
          <audio src={url} controls muted />
        ) : (
          <a href={url} download={item.filename}>
            {t('media.download')}
          </a>
        )
      ) : (
        <div className="blurred" aria-hidden="true" data-testid="blurred" />
      )}
      <figcaption>
        <span className="filename">{item.filename}</span> <span className="muted">{item.contentType}</span>{' '}
        {open && url ? (
          item.contentType.startsWith('image/') || item.contentType.startsWith('video/') ? (
            <button type="button" onClick={() => setColour((c) => !c)}>
              {colour ? t('media.greyscale') : t('media.colour')}
            </button>
          ) : null
        ) : (
          <button type="button" className="reveal" data-reveal onClick={() => void reveal()}>
            {media ? t('media.reveal') : t('media.open')}
          </button>
        )}
      </figcaption>
      <ProblemMessage error={error} />
    </figure>
  );
}

/** The day's exposure and the API's break prompt, shown beside the case. */
export function ExposureCounter({ exposure }: { exposure: Exposure | undefined }) {
  const { t } = useTranslation();
  return (
    <div className="exposure" aria-live="polite">
      <span data-testid="exposure">
        {t('media.exposure')}: {exposure ? `${exposure.exposure_today} / ${exposure.limit}` : '—'}
      </span>
      {exposure?.break_prompt ? (
        <p role="alert" className="break-prompt">
          {exposure.break_prompt}
        </p>
      ) : null}
    </div>
  );
}
