using Akka.Actor;

namespace AkkaKv.Sharding.Hosting;

/// <summary>What a plain state machine may ask of its Akka.NET actor (<see cref="IActorShell"/>): its own mailbox, its timers (<see cref="IWithTimers"/>), the event stream and stopping.</summary>
internal sealed class AkkaActorShell(IActorRef self, ITimerScheduler timers, IActorContext context, TimeProvider time) : IActorShell
{
    public TimeProvider Time => time;

    public void Post(object message) => self.Tell(message, self);

    public void StartPeriodicTimer(string key, object message, TimeSpan interval) => timers.StartPeriodicTimer(key, message, interval);

    public void StartSingleTimer(string key, object message, TimeSpan delay) => timers.StartSingleTimer(key, message, delay);

    public void CancelTimer(string key) => timers.Cancel(key);

    public void Publish(object notification) => context.System.EventStream.Publish(notification);

    public void StopSelf() => context.Stop(self);
}
