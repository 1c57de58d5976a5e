import io.granary.spi.ProviderAdapter;
import io.granary.provider.others.AgvanceProvider;
import io.granary.provider.others.ClaasProvider;
import io.granary.provider.others.ClimateFieldViewProvider;
import io.granary.provider.others.CnhiProvider;
import io.granary.provider.others.PanoramaProvider;
import io.granary.provider.others.RavenProvider;
import io.granary.provider.others.RavenSlingshotProvider;
import io.granary.provider.others.SenteraProvider;
import io.granary.provider.others.StaraProvider;

/** Nine smaller providers. Nothing is exported: the host finds them through ServiceLoader only. */
module io.granary.provider.others {
    requires io.granary.spi;

    provides ProviderAdapter with
            ClaasProvider,
            ClimateFieldViewProvider,
            CnhiProvider,
            RavenProvider,
            RavenSlingshotProvider,
            StaraProvider,
            SenteraProvider,
            AgvanceProvider,
            PanoramaProvider;
}
