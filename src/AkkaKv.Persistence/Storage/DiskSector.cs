namespace AkkaKv.Persistence.Storage;

/// <summary>The disk's unit of atomic writes: after a power cut, each sector of an interrupted write is all old or all new.</summary>
public static class DiskSector
{
    /// <summary>Bytes per sector (512, the smallest that disks use).</summary>
    public const int Size = 512;
}
