"""Gaussian diffusion as used by DiT (improved-DDPM semantics).

Linear betas 1e-4..0.02 over 1000 steps (float64), learned-range variance, hybrid loss
(MSE on eps + VLB that trains only the variance), DDIM (eta=0) / DDPM sampling on a
respaced schedule, classifier-free guidance on the eps channels.
"""
import math

import numpy as np
import torch


def linear_betas(num_timesteps=1000):
    scale = 1000 / num_timesteps
    return np.linspace(scale * 1e-4, scale * 0.02, num_timesteps, dtype=np.float64)


def space_timesteps(num_timesteps, count):
    """Evenly spaced kept timesteps (one section): round(i*stride), stride=(T-1)/(K-1)."""
    if count <= 1:
        return [0]
    stride = (num_timesteps - 1) / (count - 1)
    taken, cur = [], 0.0
    for _ in range(count):
        taken.append(round(cur))
        cur += stride
    return sorted(set(taken))


def normal_kl(mean1, logvar1, mean2, logvar2):
    return 0.5 * (-1.0 + logvar2 - logvar1 + torch.exp(logvar1 - logvar2)
                  + (mean1 - mean2) ** 2 * torch.exp(-logvar2))


def approx_standard_normal_cdf(x):
    return 0.5 * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def discretized_gaussian_log_likelihood(x, means, log_scales):
    centered = x - means
    inv_stdv = torch.exp(-log_scales)
    cdf_plus = approx_standard_normal_cdf(inv_stdv * (centered + 1.0 / 255.0))
    cdf_min = approx_standard_normal_cdf(inv_stdv * (centered - 1.0 / 255.0))
    log_cdf_plus = torch.log(cdf_plus.clamp(min=1e-12))
    log_one_minus_cdf_min = torch.log((1.0 - cdf_min).clamp(min=1e-12))
    cdf_delta = cdf_plus - cdf_min
    return torch.where(x < -0.999, log_cdf_plus,
                       torch.where(x > 0.999, log_one_minus_cdf_min, torch.log(cdf_delta.clamp(min=1e-12))))


def mean_flat(x):
    return x.mean(dim=list(range(1, x.ndim)))


class GaussianDiffusion:
    def __init__(self, betas, learn_sigma=True, timestep_map=None):
        self.betas = betas = np.asarray(betas, dtype=np.float64)
        self.num_timesteps = len(betas)
        self.learn_sigma = learn_sigma
        self.timestep_map = np.arange(self.num_timesteps) if timestep_map is None else np.asarray(timestep_map)
        self.log_betas = np.log(betas)
        self._tables = {}  # (table id, device) -> tensor, see _table
        alphas = 1.0 - betas
        self.alphas_cumprod = ac = np.cumprod(alphas)
        self.alphas_cumprod_prev = acp = np.append(1.0, ac[:-1])
        self.sqrt_alphas_cumprod = np.sqrt(ac)
        self.sqrt_one_minus_alphas_cumprod = np.sqrt(1.0 - ac)
        self.sqrt_recip_alphas_cumprod = np.sqrt(1.0 / ac)
        self.sqrt_recipm1_alphas_cumprod = np.sqrt(1.0 / ac - 1)
        self.posterior_variance = betas * (1.0 - acp) / (1.0 - ac)
        self.posterior_log_variance_clipped = np.log(np.append(self.posterior_variance[1], self.posterior_variance[1:]))
        self.posterior_mean_coef1 = betas * np.sqrt(acp) / (1.0 - ac)
        self.posterior_mean_coef2 = (1.0 - acp) * np.sqrt(alphas) / (1.0 - ac)
        # fixed-large variance (used when learn_sigma is False)
        self.fixed_large_log_variance = np.log(np.append(self.posterior_variance[1], betas[1:]))

    @classmethod
    def respaced(cls, num_sampling_steps, num_timesteps=1000, learn_sigma=True):
        base = np.cumprod(1.0 - linear_betas(num_timesteps))
        use = space_timesteps(num_timesteps, num_sampling_steps)
        last, new_betas = 1.0, []
        for i in use:
            new_betas.append(1 - base[i] / last)
            last = base[i]
        return cls(np.array(new_betas), learn_sigma, timestep_map=use)

    def _table(self, arr, device):
        """One of this object's numpy tables on `device`, copied once (a copy per call would sync the
        GPU every step); keyed by id, which is stable since the tables live as long as the object."""
        key = (id(arr), str(device))
        if key not in self._tables:
            self._tables[key] = torch.from_numpy(arr).to(device)
        return self._tables[key]

    def _ex(self, arr, t, shape):
        out = self._table(arr, t.device)[t].float()
        return out.reshape(-1, *([1] * (len(shape) - 1)))

    # -- forward process -------------------------------------------------
    def q_sample(self, x0, t, noise):
        return self._ex(self.sqrt_alphas_cumprod, t, x0.shape) * x0 + \
            self._ex(self.sqrt_one_minus_alphas_cumprod, t, x0.shape) * noise

    def q_posterior(self, x0, xt, t):
        mean = self._ex(self.posterior_mean_coef1, t, xt.shape) * x0 + self._ex(self.posterior_mean_coef2, t, xt.shape) * xt
        return mean, self._ex(self.posterior_log_variance_clipped, t, xt.shape)

    # -- model -> distribution -------------------------------------------
    def p_mean_variance_from_output(self, out, x, t, clip_denoised=True):
        c = x.shape[1]
        if self.learn_sigma:
            eps, var_values = out[:, :c], out[:, c:]
            min_log = self._ex(self.posterior_log_variance_clipped, t, x.shape)
            max_log = self._ex(self.log_betas, t, x.shape)
            frac = (var_values + 1) / 2
            log_var = frac * max_log + (1 - frac) * min_log
        else:
            eps = out
            log_var = self._ex(self.fixed_large_log_variance, t, x.shape) * torch.ones_like(x)
        pred_x0 = self._ex(self.sqrt_recip_alphas_cumprod, t, x.shape) * x - \
            self._ex(self.sqrt_recipm1_alphas_cumprod, t, x.shape) * eps
        if clip_denoised:
            pred_x0 = pred_x0.clamp(-1, 1)
        mean, _ = self.q_posterior(pred_x0, x, t)
        return dict(mean=mean, log_variance=log_var, pred_xstart=pred_x0, eps=eps)

    def model_timesteps(self, t):
        return self._table(self.timestep_map, t.device)[t]

    def p_mean_variance(self, model_fn, x, t, clip_denoised=True):
        out = model_fn(x, self.model_timesteps(t))
        return self.p_mean_variance_from_output(out, x, t, clip_denoised)

    # -- training --------------------------------------------------------
    def vb_terms_bpd(self, out, x0, xt, t):
        true_mean, true_log_var = self.q_posterior(x0, xt, t)
        p = self.p_mean_variance_from_output(out, xt, t, clip_denoised=False)
        kl = mean_flat(normal_kl(true_mean, true_log_var, p["mean"], p["log_variance"])) / math.log(2.0)
        nll = -discretized_gaussian_log_likelihood(x0, p["mean"], 0.5 * p["log_variance"])
        nll = mean_flat(nll) / math.log(2.0)
        return torch.where(t == 0, nll, kl)

    def training_losses(self, model, x0, t, y, noise=None, model_kwargs=None):
        if noise is None:
            noise = torch.randn_like(x0)
        xt = self.q_sample(x0, t, noise)
        out = model(xt, self.model_timesteps(t), y, **(model_kwargs or {})).float()
        c = x0.shape[1]
        eps = out[:, :c]
        mse = mean_flat((noise - eps) ** 2)
        if self.learn_sigma:
            frozen = torch.cat([eps.detach(), out[:, c:]], dim=1)
            vb = self.vb_terms_bpd(frozen, x0, xt, t)
        else:
            vb = torch.zeros_like(mse)
        return dict(loss=mse + vb, mse=mse, vb=vb)

    # -- sampling --------------------------------------------------------
    def ddim_step(self, model_fn, x, i, clip_denoised=True, eta=0.0, noise=None):
        t = torch.full((x.shape[0],), i, dtype=torch.long, device=x.device)
        out = self.p_mean_variance(model_fn, x, t, clip_denoised)
        eps = (self._ex(self.sqrt_recip_alphas_cumprod, t, x.shape) * x - out["pred_xstart"]) / \
            self._ex(self.sqrt_recipm1_alphas_cumprod, t, x.shape)
        ab = self._ex(self.alphas_cumprod, t, x.shape)
        abp = self._ex(self.alphas_cumprod_prev, t, x.shape)
        sigma = eta * torch.sqrt((1 - abp) / (1 - ab)) * torch.sqrt(1 - ab / abp)
        mean = out["pred_xstart"] * torch.sqrt(abp) + torch.sqrt(1 - abp - sigma ** 2) * eps
        if eta > 0 and i > 0:
            mean = mean + sigma * (torch.randn_like(x) if noise is None else noise)
        return mean

    def ddpm_step(self, model_fn, x, i, clip_denoised=True, noise=None):
        t = torch.full((x.shape[0],), i, dtype=torch.long, device=x.device)
        out = self.p_mean_variance(model_fn, x, t, clip_denoised)
        if i == 0:
            return out["mean"]
        noise = torch.randn_like(x) if noise is None else noise
        return out["mean"] + torch.exp(0.5 * out["log_variance"]) * noise

    @torch.no_grad()
    def sample(self, model, noise, y, cfg_scale=1.0, method="ddim", clip_denoised=True, step_noise=None,
               eta=0.0, progress=None):
        """noise: (N,C,H,W) x_T; y: (N,) labels. Returns (N,C,H,W) x_0."""
        null = model.num_classes
        if cfg_scale != 1.0:
            x = torch.cat([noise, noise], 0)
            yy = torch.cat([y, torch.full_like(y, null)], 0)

            def model_fn(xx, tt):
                return model.forward_with_cfg(xx, tt, yy, cfg_scale)
        else:
            x = noise

            def model_fn(xx, tt):
                return model(xx, tt, y)
        for k, i in enumerate(reversed(range(self.num_timesteps))):
            nz = None
            if step_noise is not None:
                nz = step_noise[k]
                if cfg_scale != 1.0:
                    nz = torch.cat([nz, nz], 0)
            if method == "ddim":
                x = self.ddim_step(model_fn, x, i, clip_denoised, eta=eta, noise=nz)
            else:
                x = self.ddpm_step(model_fn, x, i, clip_denoised, noise=nz)
            if progress:
                progress(k)
        return x[: noise.shape[0]]


def create_diffusion(timestep_respacing=None, learn_sigma=True):
    if timestep_respacing is None:
        return GaussianDiffusion(linear_betas(1000), learn_sigma)
    return GaussianDiffusion.respaced(int(timestep_respacing), 1000, learn_sigma)
