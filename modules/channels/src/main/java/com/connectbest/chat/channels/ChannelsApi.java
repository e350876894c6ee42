package com.connectbest.chat.channels;

import com.connectbest.chat.common.Ids;
import com.connectbest.chat.common.InternalActions;
import com.connectbest.chat.common.ServiceDispatcher;
import com.connectbest.chat.common.ServiceReply;
import com.connectbest.chat.common.ServiceRequest;

/** The channels service's event-bus API: one handler per operation, delegating to the app logic. */
final class ChannelsApi {

  private ChannelsApi() {
  }

  static void register(ServiceDispatcher dispatcher, ChannelService channels, MembershipService membership,
                       ActivityService activity, AccessService access, HookService hooks) {
    dispatcher
        .on("createIncomingHook", request -> hooks.create(request.requirePrincipal(), channelId(request),
            request.bodyObject()).map(ServiceReply::created))
        .on("listIncomingHooks", request -> hooks.list(request.requirePrincipal(), channelId(request))
            .map(ServiceReply::ok))
        .on("revokeIncomingHook", request -> hooks.revoke(request.requirePrincipal(), channelId(request),
            request.pathParam("hookId")).map(ServiceReply::ok))
        .on(InternalActions.RESOLVE_HOOK, request -> hooks.resolve(request.bodyObject()).map(ServiceReply::ok))
        .on("listMyChannels", request -> channels.listMine(request.requirePrincipal()).map(ServiceReply::okUnshared))
        .on("createChannel", request -> channels.create(request.requirePrincipal(), request.bodyObject())
            .map(ServiceReply::created))
        .on("getChannel", request -> channels.details(request.requirePrincipal(), channelId(request), request.query())
            .map(ServiceReply::ok))
        .on("listAllChannels", request -> {
          request.requireAdmin();
          return channels.listAll().map(ServiceReply::ok);
        })
        .on("joinChannel", request -> membership.join(request.requirePrincipal(), channelId(request))
            .map(ServiceReply::ok))
        .on("addChannelMember", request -> membership.add(request.requirePrincipal(), channelId(request),
            request.bodyObject()).map(ServiceReply::ok))
        .on("removeChannelMember", request -> membership.remove(request.requirePrincipal(), channelId(request),
            Ids.requireObjectId(request.pathParam("userId"), "userId")).map(ServiceReply::ok))
        .on("markChannelRead", request -> activity.markRead(request.requirePrincipal(), anyChannelId(request))
            .map(ServiceReply::ok))
        .on("setTyping", request -> activity.setTyping(request.requirePrincipal(), typingChannelId(request),
            request.bodyObject()).map(ServiceReply::ok))
        .on("getTypingUsers", request -> activity.typingUsers(request.requirePrincipal(), typingChannelId(request))
            .map(ServiceReply::ok))
        .on(InternalActions.CHECK_ACCESS, request -> access.checkAccess(request.bodyObject()).map(ServiceReply::ok))
        .on(InternalActions.CHECK_ACCESS_MANY, request -> access.checkAccessMany(request.bodyObject())
            .map(ServiceReply::ok))
        .on(InternalActions.MEMBER_CHANNELS, request -> access.memberChannels(request.bodyObject())
            .map(ServiceReply::ok))
        .on(InternalActions.CHANNEL_READ_STATES, request -> access.readStates(request.bodyObject())
            .map(ServiceReply::ok))
        .on(InternalActions.MEMBER_REMOVALS, request -> access.memberRemovals(request.bodyObject())
            .map(ServiceReply::ok))
        .on(InternalActions.READ_COUNTS, request -> access.readCounts(request.bodyObject())
            .map(ServiceReply::okUnshared))
        .on(InternalActions.DM_READ_STATES, request -> access.dmReadStates(request.bodyObject())
            .map(ServiceReply::ok))
        .on(InternalActions.COUNT_CHANNELS, request -> channels.count().map(ServiceReply::ok))
        .on(InternalActions.ENSURE_DM_CHANNEL, request -> membership.ensureDm(request.bodyObject()).map(ServiceReply::ok));
  }

  /** An ordinary channel's id (DM ids are 404 here). */
  private static String channelId(ServiceRequest request) {
    request.requirePrincipal();
    return ChannelIds.channel(request.pathParam("channelId"));
  }

  /**
   * The typing routes' channel: any channel's id, or {@code dm-<partner id>}, which the original frontend's DM page
   * sends for the conversation between the caller and that partner.
   */
  private static String typingChannelId(ServiceRequest request) {
    String callerId = request.requirePrincipal().id();
    return ChannelIds.dmWithPartner(request.pathParam("channelId"), callerId)
        .orElseGet(() -> ChannelIds.any(request.pathParam("channelId")));
  }

  /** Any channel's id, DMs included: read positions and typing work in DMs too. */
  private static String anyChannelId(ServiceRequest request) {
    request.requirePrincipal();
    return ChannelIds.any(request.pathParam("channelId"));
  }
}
