package railyard.io.serving;

import javax.annotation.Nullable;
import railyard.model.Alert;

/**
 * An incident as the {@code alerts} table holds it: the alert that opened it (or the resolving
 * one, if that came first), its current status, and when each change was recorded.
 *
 * @param alert the alert with the incident's current status
 * @param openedAt when the opening was recorded, epoch ms
 * @param resolvedAt when the resolution was recorded, epoch ms; null while open
 */
public record StoredAlert(Alert alert, long openedAt, @Nullable Long resolvedAt) {}
