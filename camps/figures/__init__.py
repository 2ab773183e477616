"""Figures for managers and headquarters: dashboard, aggregate HXL statistics, situation reports."""
