# reference.R: reference values for harness/tests/check_stats.c, computed by R
# (r-base-core 4.2, Debian 12) independently of pvbench's C code.
# Run from the repository root:
#   Rscript harness/tests/data/stats/reference.R > harness/tests/data/stats/reference.tsv
# Output: one "dataset<TAB>quantity<TAB>value" line per reference value.
dir <- "harness/tests/data/stats"
out <- function(set, q, v) cat(sprintf("%s\t%s\t%.17g\n", set, q, v))
read_set <- function(f) {
	l <- grep("^(base|new):", readLines(f), value = TRUE)
	v <- lapply(strsplit(sub("^[a-z]+: *", "", l), " +"), as.numeric)
	names(v) <- sub(":.*", "", l)
	v
}
for (f in sort(list.files(dir, pattern = "\\.dat$", full.names = TRUE))) {
	set <- sub("\\.dat$", "", basename(f))
	d <- read_set(f); b <- d$base; n <- d$new
	for (side in c("base", "new")) {
		x <- d[[side]]
		out(set, paste0(side, ".mean"), mean(x))
		out(set, paste0(side, ".sd"), sd(x))
		out(set, paste0(side, ".median"), median(x))
		out(set, paste0(side, ".q10"), quantile(x, 0.10, type = 7))
		out(set, paste0(side, ".q90"), quantile(x, 0.90, type = 7))
		# distribution-free CI of the median: order statistics k, n + 1 - k
		m <- length(x); k <- 0
		while (k + 1 <= m %/% 2 && 2 * pbinom(k, m, 0.5) <= 0.05) k <- k + 1
		s <- sort(x)
		out(set, paste0(side, ".median_ci_lo"), if (k) s[k] else s[1])
		out(set, paste0(side, ".median_ci_hi"), if (k) s[m + 1 - k] else s[m])
	}
	w <- suppressWarnings(wilcox.test(n, b))
	out(set, "mw.u", w$statistic)
	out(set, "mw.p", w$p.value)
	exact <- length(unique(c(b, n))) == length(c(b, n)) && length(b) < 50 && length(n) < 50
	if (exact) {
		h <- wilcox.test(n, b, conf.int = TRUE, conf.level = 0.95)
		out(set, "hl.shift", h$estimate)
		out(set, "hl.lo", h$conf.int[1])
		out(set, "hl.hi", h$conf.int[2])
	}
	t <- t.test(n, b) # Welch by default (var.equal = FALSE)
	out(set, "welch.t", t$statistic)
	out(set, "welch.df", t$parameter)
	out(set, "welch.p", t$p.value)
	qb <- var(b) / length(b); qn <- var(n) / length(n)
	df <- (qb + qn)^2 / (qb^2 / (length(b) - 1) + qn^2 / (length(n) - 1))
	out(set, "mdd80", (qt(0.975, df) + qt(0.80, df)) * sqrt(qb + qn))
}
p <- c(0.01, 0.04, 0.03, 0.005, NA, 0.5, 0.03)
a <- p.adjust(p, "holm")
for (i in seq_along(p)) if (!is.na(p[i])) out("holm", sprintf("p%d", i - 1), a[i])
# exact null distribution of U: pwilcox(q, m, n)
for (mn in list(c(3, 4, 5), c(7, 9, 20), c(10, 10, 23), c(20, 25, 180))) {
	out("pwilcox", sprintf("%d_%d_%d", mn[1], mn[2], mn[3]), pwilcox(mn[3], mn[1], mn[2]))
}
