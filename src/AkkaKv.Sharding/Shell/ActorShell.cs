using AkkaKv.Actors;

namespace AkkaKv.Sharding;

/// <summary>The <see cref="IActorShell"/> of an actor: posts are tells to itself, timers are the actor's own, notifications go to the system's event stream.</summary>
internal sealed class ActorShell(IActorRef self, ITimerScheduler timers, IActorContext context) : IActorShell
{
    public TimeProvider Time => context.System.TimeProvider;

    public void Post(object message) => self.Tell(message, self);

    public void StartPeriodicTimer(string key, object message, TimeSpan interval) => timers.StartPeriodicTimer(key, message, interval);

    public void StartSingleTimer(string key, object message, TimeSpan delay) => timers.StartSingleTimer(key, message, delay);

    public void CancelTimer(string key) => timers.Cancel(key);

    public void Publish(object notification) => context.System.EventStream.Publish(notification);

    public void StopSelf() => context.Stop(self);
}
