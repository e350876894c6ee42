// Types of what the server sends (docs/event-bus.md, docs/asyncapi.yaml) and of the REST answers the client uses.

export interface UserSummary { id: string; name: string; email?: string; avatar?: string | null }

export interface User extends UserSummary { username?: string; role?: 'user' | 'admin'; status?: string }

export interface LoginResponse { token: string; token_type: 'Bearer'; expires_in: number; user: User }

export interface Reaction { emoji: string; count: number; users: string[] }

/** The REST `Message` schema (openapi.yaml). */
export interface Message {
  id: string; channel_id: string; seq?: number; user_id: string; user: UserSummary; content: string;
  parent_message_id: string | null; attachments: unknown[]; reactions: Reaction[]; reply_count: number;
  read_count: number; is_pinned: boolean; created_at: string; updated_at: string; edited_at: string | null;
  is_edited: boolean; is_deleted: boolean; bookmarked: boolean; bookmarked_by_users: string[];
}

interface BaseEvent { channelId: string; at: string }
/** Every event of a `chat.channel.<id>` address except `typing`, and every event of `chat.user.<id>`. */
interface Numbered extends BaseEvent { seq: number }
/** The spec's flat fields, copied from `message`. */
interface MessageFields extends Numbered {
  messageId: string; userId: string; content: string; user: UserSummary; created_at: string; message: Message;
}

export interface NewMessageEvent extends MessageFields { type: 'new_message' }
export interface ThreadReplyEvent extends MessageFields { type: 'thread_reply'; parentMessageId: string; reply_count: number }
export interface MessageUpdatedEvent extends MessageFields { type: 'message_updated' }
export interface MessagePinnedEvent extends MessageFields { type: 'message_pinned' | 'message_unpinned' }
export interface MessageDeletedEvent extends Numbered {
  type: 'message_deleted'; messageId: string; parentMessageId?: string; reply_count?: number;
}
export interface ReactionEvent extends Numbered {
  type: 'reaction_added' | 'reaction_removed'; messageId: string; userId: string; emoji: string; reactions: Reaction[];
}
export interface MembershipEvent extends Numbered { type: 'member_joined' | 'member_left'; userId: string }
export interface ReadEvent extends Numbered { type: 'read'; userId: string; last_read_at: string }
/** Not numbered, not kept: never resumed. */
export interface TypingEvent extends BaseEvent { type: 'typing'; userId: string; name: string; typing: boolean }

export type ChatEvent = NewMessageEvent | ThreadReplyEvent | MessageUpdatedEvent | MessagePinnedEvent
  | MessageDeletedEvent | ReactionEvent | MembershipEvent | ReadEvent | TypingEvent;

/** A refusal (`REFUSED`), an ended registration (`REVOKED`), a failed resume (`GONE`: reload the history). */
export interface ClientError {
  address?: string; failureCode?: number;
  failureType: 'REFUSED' | 'REVOKED' | 'GONE' | 'RESUME_FAILED' | 'TOKEN_REVOKED' | 'BRIDGE' | string; message?: string;
}
